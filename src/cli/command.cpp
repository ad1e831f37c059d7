#include "cli/command.hpp"

#include <unistd.h>

#include <cstdlib>

#include "adapters/storage/open_store.hpp"

namespace kclinic::cli {

std::string DefaultDatabaseUrl() {
    const char* from_environment = std::getenv("KCLINIC_DB");
    return from_environment != nullptr && *from_environment != '\0'
               ? std::string(from_environment)
               : std::string(adapters::storage::kDefaultDatabaseUrl);
}

void AddCommonOptions(CLI::App& command, CommonOptions& options) {
    command.add_flag("--json", options.json, "Print one JSON object on stdout instead of text");
    command.add_option("--set", options.settings_overrides,
                       "Override a clinic setting for this run, NAME=VALUE, within its allowed bounds "
                       "(repeatable; see `kclinic settings`)");
}

Result<clinical::ClinicSettings> SettingsFrom(const CommonOptions& options) {
    clinical::ClinicSettings settings;
    for (const std::string& override_text : options.settings_overrides) {
        const auto equals = override_text.find('=');
        if (equals == std::string::npos || equals == 0) {
            return InvalidArgument("--set", "expected NAME=VALUE (got \"" + override_text + "\")");
        }
        Status status = clinical::SetSetting(settings, std::string_view(override_text).substr(0, equals),
                                             std::string_view(override_text).substr(equals + 1));
        if (!status.ok()) {
            Error error = status.error();
            error.field = "--set " + error.field;
            return error;
        }
    }
    return settings;
}

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options) {
    command.add_flag("--json", options.json, "Print one JSON object on stdout instead of text");
    command.add_option("--db", options.url,
                       "Database: sqlite:PATH or postgres://... (default $KCLINIC_DB, else "
                       "sqlite:kclinic.db)");
}

std::string OperatingSystemUser() {
    const char* login = getlogin();
    const char* user = login != nullptr ? login : std::getenv("USER");
    return user != nullptr ? user : "unknown";
}

}  // namespace kclinic::cli
