#pragma once

// Small helpers the JSON writers share: a field absent from a value is absent from its JSON, never null.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kclinic::adapters::json {

template <typename T>
void PutIfPresent(nlohmann::json& json, const char* key, const std::optional<T>& value) {
    if (value) {
        json[key] = *value;
    }
}

inline void PutIfNotEmpty(nlohmann::json& json, const char* key, std::string_view value) {
    if (!value.empty()) {
        json[key] = value;
    }
}

}  // namespace kclinic::adapters::json
