#include "app/patient_search.hpp"

#include <algorithm>

#include "base/text.hpp"

namespace kclinic::app {
namespace {

std::string_view TrimSpaces(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::string FoldAsciiCase(std::string_view text) {
    std::string folded(text);
    std::ranges::transform(folded, folded.begin(),
                           [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return folded;
}

Result<PatientNameSearch> ParsePatientNameSearch(std::string_view name) {
    RETURN_IF_ERROR(CheckText("name", name, {.max_characters = kMaxPatientNameLength}));
    const std::size_t comma = name.find(',');
    if (comma == std::string_view::npos) {
        return PatientNameSearch{FoldAsciiCase(TrimSpaces(name)), std::nullopt};
    }
    if (name.find(',', comma + 1) != std::string_view::npos) {
        return InvalidArgument("name", "has more than one comma; search \"family, given\" or one name");
    }
    const std::string_view family = TrimSpaces(name.substr(0, comma));
    if (family.empty()) {
        return InvalidArgument("name", "needs the family name before the comma: \"family, given\"");
    }
    return PatientNameSearch{FoldAsciiCase(family), FoldAsciiCase(TrimSpaces(name.substr(comma + 1)))};
}

}  // namespace kclinic::app
