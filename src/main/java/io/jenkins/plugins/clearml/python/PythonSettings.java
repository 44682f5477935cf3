package io.jenkins.plugins.clearml.python;

import java.util.List;

/**
 * Python environment settings as the real agent reads them ({@code agent.python_binary}, {@code agent.venvs_dir},
 * {@code agent.venvs_cache.*}, {@code agent.package_manager.*}). pip's own configuration (pip.conf,
 * {@code PIP_INDEX_URL}, {@code PIP_FIND_LINKS}, {@code PIP_NO_INDEX}...) is honoured because pip reads it itself.
 *
 * @param pythonBinary        the interpreter to build venvs with; empty means search as the agent does
 * @param venvsDir            where venvs are built ({@code ~/.clearml/venvs-builds})
 * @param venvsCacheDir       the venv cache; {@code null} disables it
 * @param venvsCacheMaxEntries least recently used entries beyond this are removed
 * @param extraIndexUrls      {@code agent.package_manager.extra_index_url}
 * @param extraPipInstallFlags {@code agent.package_manager.extra_pip_install_flags} / {@code CLEARML_EXTRA_PIP_INSTALL_FLAGS}
 * @param systemSitePackages  {@code agent.package_manager.system_site_packages}
 */
public record PythonSettings(
        String pythonBinary,
        String venvsDir,
        String venvsCacheDir,
        int venvsCacheMaxEntries,
        List<String> extraIndexUrls,
        List<String> extraPipInstallFlags,
        boolean systemSitePackages) {

    public PythonSettings {
        extraIndexUrls = extraIndexUrls == null ? List.of() : List.copyOf(extraIndexUrls);
        extraPipInstallFlags = extraPipInstallFlags == null ? List.of() : List.copyOf(extraPipInstallFlags);
    }
}
