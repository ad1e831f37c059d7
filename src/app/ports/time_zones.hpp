#pragma once

// The TimeZones port: the time-zone database the clinic.time_zone setting names a zone of. The use cases resolve
// the clinic's zone through it and hand the rules, as a value, to whatever dates a time (clinical/clinic_zone.hpp).

#include <string_view>

#include "base/result.hpp"
#include "clinical/clinic_zone.hpp"

namespace kclinic::app {

class TimeZones {
public:
    virtual ~TimeZones() = default;

    // The rules of the IANA zone `name` ("America/New_York"). Errors: kInvalidArgument "clinic.time_zone" when the
    // name is not a zone name (clinical::CheckZoneName), no such zone is installed, or its data cannot be read.
    // Thread-safe.
    [[nodiscard]] virtual Result<clinical::ClinicZone> Load(std::string_view name) const = 0;
};

}  // namespace kclinic::app
