#pragma once

// A list of strings kept as a JSON array in one text column (a dose order's notes, a REMS form's lot numbers, a
// room's monitors, an appointment's overridden rules). Internal to storage/sql.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::storage::sql {

inline std::string StringsToJson(const std::vector<std::string>& strings) {
    return json::Json(strings).dump();
}

// The strings of a JSON array of strings; nullopt when `text` is anything else.
inline std::optional<std::vector<std::string>> StringsFromJson(std::string_view text) {
    Result<json::Json> parsed = json::Parse(text);
    if (!parsed.ok() || !parsed->is_array()) {
        return std::nullopt;
    }
    std::vector<std::string> strings;
    for (const json::Json& item : *parsed) {
        if (!item.is_string()) {
            return std::nullopt;
        }
        strings.push_back(item.get<std::string>());
    }
    return strings;
}

}  // namespace kclinic::adapters::storage::sql
