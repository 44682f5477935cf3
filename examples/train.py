"""A small training loop for the ClearML for Jenkins demo. Needs no third-party package.

It fits y = 3x with stochastic gradient descent and prints what a real training script prints: a progress bar
redrawn with carriage returns, then one line of metrics per epoch. When the ClearML SDK is installed it attaches
to the task the agent runs (the agent sets CLEARML_TASK_ID), otherwise it runs as a plain script.
"""
import argparse
import os
import random
import sys
import time


def main():
    parser = argparse.ArgumentParser(description="Fit y = 3x with SGD")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--steps", type=int, default=25)
    args = parser.parse_args()

    try:
        from clearml import Task  # noqa: F401  (optional: attaches to the agent's task)
        task = Task.init(project_name="Jenkins demo", task_name="train")
        print(f"ClearML SDK attached to task {task.id}")
    except ImportError:
        print(f"ClearML SDK not installed; running as task {os.environ.get('CLEARML_TASK_ID', '(none)')}")

    print(f"training: epochs={args.epochs} lr={args.lr} steps={args.steps}")
    random.seed(0)
    weight = 0.0
    for epoch in range(1, args.epochs + 1):
        loss = 0.0
        for step in range(1, args.steps + 1):
            x = random.uniform(-1.0, 1.0)
            y = 3.0 * x + random.gauss(0.0, 0.05)
            error = weight * x - y
            weight -= args.lr * 2.0 * error * x
            loss += error * error
            bar = "#" * (step * 20 // args.steps)
            sys.stdout.write(f"\repoch {epoch}/{args.epochs} [{bar:<20}] {step}/{args.steps}")
            sys.stdout.flush()
            time.sleep(0.02)
        print(f"\nepoch {epoch}: loss={loss / args.steps:.4f} weight={weight:.3f}")
    print(f"done: weight={weight:.3f} (target 3.000)")
    return 0 if abs(weight - 3.0) < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
