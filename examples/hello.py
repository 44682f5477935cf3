"""The smallest task: prints where it runs and what the agent gave it."""
import os
import sys

print(f"hello from task {os.environ.get('CLEARML_TASK_ID')}")
print(f"python {sys.version.split()[0]} at {sys.executable}")
print(f"arguments: {sys.argv[1:]}")
