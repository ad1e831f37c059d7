#pragma once

// For tests: the enumerators of an enumeration that its name table leaves out. C++20 cannot list an enumeration's
// enumerators, but GCC and Clang spell a template argument that is a named enumerator by its name
// ("[with auto Value = kclinic::clinical::Route::kIv]") and any other value as a cast ("(kclinic::clinical::Route)7")
// in __PRETTY_FUNCTION__, which tells the two apart.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "base/enum_names.hpp"

namespace kclinic::testing {

// Enumerations with underlying values below this are searched; each table must stay below it too.
inline constexpr int kEnumeratorSearchLimit = 64;

template <auto Value>
constexpr bool IsNamedEnumerator() {
    const std::string_view signature = __PRETTY_FUNCTION__;
    const std::size_t at = signature.rfind("Value = ");
    return at != std::string_view::npos && signature.substr(at + 8, 1) != "(";
}

template <typename Enum, int... Underlying>
std::vector<Enum> EnumeratorsIn(std::integer_sequence<int, Underlying...> /*values*/) {
    std::vector<Enum> enumerators;
    ((IsNamedEnumerator<static_cast<Enum>(Underlying)>() ? enumerators.push_back(static_cast<Enum>(Underlying))
                                                         : void()),
     ...);
    return enumerators;
}

// Every enumerator of Enum with an underlying value in [0, kEnumeratorSearchLimit), in value order.
template <typename Enum>
std::vector<Enum> Enumerators() {
    return EnumeratorsIn<Enum>(std::make_integer_sequence<int, kEnumeratorSearchLimit>{});
}

// The underlying values of the enumerators of Enum that `table` has no name for; empty for a complete table.
template <typename Enum, std::size_t N>
std::vector<int> UnnamedEnumerators(const EnumNames<Enum, N>& table) {
    static_assert(N < kEnumeratorSearchLimit, "raise kEnumeratorSearchLimit");
    std::vector<int> unnamed;
    for (Enum value : Enumerators<Enum>()) {
        if (table.Name(value).empty()) {
            unnamed.push_back(static_cast<int>(value));
        }
    }
    return unnamed;
}

}  // namespace kclinic::testing
