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

Result<clinical::ClinicSettings> LoadClinicSettings(StoreTransaction& tx) {
    ASSIGN_OR_RETURN(Overrides overrides, tx.LoadSettings());
    return ApplyOverrides(overrides, {});
}

Result<clinical::ClinicZone> LoadClinicZone(StoreTransaction& tx, const TimeZones& zones) {
    ASSIGN_OR_RETURN(Overrides overrides, tx.LoadSettings());
    ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, ApplyOverrides(overrides, {}));
    return ClinicZoneOf(settings, zones);
}

Result<clinical::ClinicZone> ClinicZoneOf(const clinical::ClinicSettings& settings, const TimeZones& zones) {
    Result<clinical::ClinicZone> zone = zones.Load(settings.time_zone);
    if (!zone.ok()) {
        return Error{ErrorCode::kFailedPrecondition, "clinic.time_zone",
                     "the clinic's zone \"" + settings.time_zone + "\" no longer loads: " + zone.error().message +
                         "; set clinic.time_zone again"};
    }
    return zone;
}

Result<clinical::ClinicSettings> ClinicSettingsRecords::LoadClinicSettings() {
    return store_.Read([&](StoreTransaction& tx) -> Result<clinical::ClinicSettings> {
        ASSIGN_OR_RETURN(Overrides overrides, tx.LoadSettings());
        return ApplyOverrides(overrides, {});
    });
}

Result<clinical::ClinicSettings> ClinicSettingsRecords::ChangeSetting(const Actor& actor, std::string_view name,
                                                                      std::string_view value) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<clinical::ClinicSettings> {
        ASSIGN_OR_RETURN(Overrides overrides, tx.LoadSettings());
        // The override being replaced is left out, so a stored value that no longer validates can be repaired.
        ASSIGN_OR_RETURN(clinical::ClinicSettings settings, ApplyOverrides(overrides, name));
        RETURN_IF_ERROR(clinical::SetSetting(settings, name, value));
        if (name == "clinic.time_zone") {
            RETURN_IF_ERROR(StatusOf(zones_.Load(settings.time_zone)));
        }
        std::string canonical(value);
        std::string previous;
        for (const clinical::SettingSpec& spec : clinical::AllSettings(settings)) {
            if (spec.name == name) {
                canonical = spec.value;
                previous = spec.default_value;
            }
        }
        // The value in force before: the stored override when there is one (as stored, even one that no longer
        // validates), else the default.
        for (const auto& [stored_name, stored_value] : overrides) {
            if (stored_name == name) {
                previous = stored_value;
            }
        }
        RETURN_IF_ERROR(tx.SaveSetting(name, canonical, now, actor.user));
        // The entry says which setting moved, from what to what: the audit log is where a clinic finds out who
        // changed an alert threshold (docs/api.md "Administration").
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "setting.change", "clinic_setting", 0, 0,
                                    "name=" + std::string(name) + " from=" + previous + " to=" + canonical));
        return settings;
    });
}

}  // namespace kclinic::app
