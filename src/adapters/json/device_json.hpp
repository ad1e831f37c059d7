#pragma once

// The JSON of the bedside-monitor feed's records (app/device_feed.hpp), as the API and the CLI show them
// (docs/api.md "Devices").

#include "adapters/json/clinical_json.hpp"
#include "app/device_feed.hpp"
#include "app/records.hpp"

namespace kclinic::adapters::json {

// A device and its feed's counters.
[[nodiscard]] Json ToJson(const app::Device& device);
// A device with its room ({"room": {"id", "name"}} or null) and its feed's counters.
[[nodiscard]] Json ToJson(const app::DeviceView& view);
// A device-log row: its status, vital sign (a blood pressure's "systolic" and "diastolic", as a vital sign shows
// them; "value" otherwise; none when unmapped), what the device sent under "raw", and where it went.
[[nodiscard]] Json ToJson(const app::DeviceReading& reading);

}  // namespace kclinic::adapters::json
