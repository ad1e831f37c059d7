#include "app/clinic_settings.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/audit.hpp"
namespace kclinic::app {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

// Applies `overrides` (except the one named `skip`) to the defaults. SetSetting checks the rules that tie two
// settings together after each change, so when two tied settings have both moved, one order of applying them can
// fail where another passes; overrides that fail are retried until a pass applies none, and only then is the first
// remaining one an error.
Result<clinical::ClinicSettings> ApplyOverrides(const Overrides& overrides, std::string_view skip) {
    clinical::ClinicSettings settings;
    std::vector<const std::pair<std::string, std::string>*> pending;
    for (const auto& setting : overrides) {
        if (setting.first != skip) {
            pending.push_back(&setting);
        }
    }
    std::optional<Error> first_failure;
    while (!pending.empty()) {
        std::vector<const std::pair<std::string, std::string>*> failed;
        first_failure.reset();
        for (const auto* setting : pending) {
            Status applied = clinical::SetSetting(settings, setting->first, setting->second);
            if (!applied.ok()) {
                failed.push_back(setting);
                if (!first_failure) {
                    first_failure = Error{ErrorCode::kFailedPrecondition, setting->first,
                                          "the stored value \"" + setting->second +
                                              "\" no longer validates: " + applied.error().ToString()};
                }
            }
        }
        if (failed.size() == pending.size()) {
            return *first_failure;
        }
        pending = std::move(failed);
    }
    return settings;
}

}  // namespace

Result<clinical::ClinicSettings> ClinicSettingsRecords::LoadClinicSettings() {
    std::optional<clinical::ClinicSettings> loaded;
    Status status = store_.Read([&](StoreTransaction& tx) -> Status {
        Result<Overrides> overrides = tx.LoadSettings();
        if (!overrides.ok()) {
            return overrides.error();
        }
        Result<clinical::ClinicSettings> settings = ApplyOverrides(*overrides, {});
        if (!settings.ok()) {
            return settings.error();
        }
        loaded = *settings;
        return Status::Ok();
    });
    if (!status.ok()) {
        return status.error();
    }
    return *loaded;
}

Result<clinical::ClinicSettings> ClinicSettingsRecords::ChangeSetting(const Actor& actor, std::string_view name,
                                                                      std::string_view value) {
    const TimePoint now = clock_.Now();
    std::optional<clinical::ClinicSettings> changed;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Overrides> overrides = tx.LoadSettings();
        if (!overrides.ok()) {
            return overrides.error();
        }
        // The override being replaced is left out, so a stored value that no longer validates can be repaired.
        Result<clinical::ClinicSettings> current = ApplyOverrides(*overrides, name);
        if (!current.ok()) {
            return current.error();
        }
        clinical::ClinicSettings settings = *current;
        if (Status set = clinical::SetSetting(settings, name, value); !set.ok()) {
            return set;
        }
        std::string canonical(value);
        for (const clinical::SettingSpec& spec : clinical::AllSettings(settings)) {
            if (spec.name == name) {
                canonical = spec.value;
            }
        }
        if (Status saved = tx.SaveSetting(name, canonical, now, actor.user); !saved.ok()) {
            return saved;
        }
        changed = settings;
        return RecordAudit(tx, actor, now, "setting.change", "clinic_setting", 0, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return *changed;
}

}  // namespace kclinic::app
