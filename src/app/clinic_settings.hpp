#pragma once

// The clinic settings use cases: the clinic's thresholds are clinical::ClinicSettings defaults with the overrides
// stored in the clinic record applied, every override validated through the settings registry
// (clinical::SetSetting), so no value outside its documented bounds is ever stored or used.

#include <string_view>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

class ClinicSettingsRecords {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    ClinicSettingsRecords(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // The defaults with every stored override applied. Error kFailedPrecondition naming the setting when a stored
    // override no longer validates (an unknown name, or a value outside the bounds of this release); ChangeSetting
    // on that name repairs it.
    Result<clinical::ClinicSettings> LoadClinicSettings();

    // Sets `name` to `value` on the current settings and stores the value in its canonical text (as AllSettings
    // prints it), audited as "setting.change". Returns the settings now in force. Errors: SetSetting's (kNotFound
    // for an unknown name, kOutOfRange / kInvalidArgument naming the allowed values, or a setting it would make
    // inconsistent with another), kInvalidArgument "clinic.time_zone" for a zone `zones` does not have
    // (TimeZones::Load), and LoadClinicSettings' for any other stored override; nothing is stored on error.
    Result<clinical::ClinicSettings> ChangeSetting(const Actor& actor, std::string_view name, std::string_view value);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

// The settings in force as `tx` reads them, for use cases that apply them inside the transaction they write in (the
// device feed). Errors: as ClinicSettingsRecords::LoadClinicSettings.
Result<clinical::ClinicSettings> LoadClinicSettings(StoreTransaction& tx);
// The clinic's zone (the clinic.time_zone setting in force) as `tx` reads it, from `zones`: for use cases that date
// a time in the transaction they write in. Errors: LoadClinicSettings'; kFailedPrecondition "clinic.time_zone" when
// the stored zone no longer loads (the OS's time-zone database lost it); ChangeSetting repairs it.
Result<clinical::ClinicZone> LoadClinicZone(StoreTransaction& tx, const TimeZones& zones);
// The zone `settings` name, from `zones`, for use cases handed the settings in force. Errors: kFailedPrecondition
// "clinic.time_zone" as LoadClinicZone's.
Result<clinical::ClinicZone> ClinicZoneOf(const clinical::ClinicSettings& settings, const TimeZones& zones);

}  // namespace kclinic::app
