#pragma once

// The stable text names of an enumeration, stated once as a table of {enumerator, "name"} pairs. Name and Parse
// are each other's exact inverse, and every list of the names in a message is generated from the same table, so a
// name, its parser and the message that lists the names cannot drift apart. Storage, JSON and the command line
// write these names: a name, once released, is never changed.
//
//     inline constexpr auto kRouteNames = MakeEnumNames<Route>({{Route::kIv, "iv"}, {Route::kIm, "im"}});
//
//     kRouteNames.Name(Route::kIm)             // "im"
//     kRouteNames.Parse("iv")                  // Route::kIv; std::nullopt for any other text (exact, case-sensitive)
//     kRouteNames.ParseField("route", "oral")  // kInvalidArgument on "route": must be one of iv, im; got "oral"
//     kRouteNames.ParseAlternative("route", "oral")  //                              must be iv or im; got "oral"
//     kRouteNames.List()                       // "iv, im"       (in table order)
//     kRouteNames.Alternatives()               // "iv or im"
//
// A table with an empty name, a name given twice or an enumerator given twice does not compile. That every
// enumerator is in its table is checked by each family's test (base/enum_names_testing.hpp).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

namespace kclinic {

template <typename Enum, std::size_t N>
class EnumNames {
public:
    struct Entry {
        Enum value;
        std::string_view name;
    };

    constexpr explicit EnumNames(const std::array<Entry, N>& entries) : entries_(entries) {}

    // The name of `value`; empty for a value that is no enumerator of the table (never for a complete table).
    [[nodiscard]] constexpr std::string_view Name(Enum value) const {
        for (const Entry& entry : entries_) {
            if (entry.value == value) {
                return entry.name;
            }
        }
        return {};
    }

    // The enumerator named exactly `text`; std::nullopt for any other text.
    [[nodiscard]] constexpr std::optional<Enum> Parse(std::string_view text) const {
        for (const Entry& entry : entries_) {
            if (entry.name == text) {
                return entry.value;
            }
        }
        return std::nullopt;
    }

    // Parse, or kInvalidArgument on `field`: `must be one of <List()>; got "<text>"`.
    [[nodiscard]] Result<Enum> ParseField(std::string field, std::string_view text) const {
        if (std::optional<Enum> value = Parse(text)) {
            return *value;
        }
        return InvalidArgument(std::move(field), "must be one of " + List() + "; got \"" + std::string(text) + "\"");
    }

    // Parse, or kInvalidArgument on `field`: `must be <Alternatives()>; got "<text>"`. The form the dose and
    // schedule parsers have always answered; prefer ParseField for a new parser.
    [[nodiscard]] Result<Enum> ParseAlternative(std::string field, std::string_view text) const {
        if (std::optional<Enum> value = Parse(text)) {
            return *value;
        }
        return InvalidArgument(std::move(field), "must be " + Alternatives() + "; got \"" + std::string(text) + "\"");
    }

    // Every name in table order, joined by `separator`: "a, b, c".
    [[nodiscard]] std::string List(std::string_view separator = ", ") const {
        std::string list;
        for (const Entry& entry : entries_) {
            if (!list.empty()) {
                list += separator;
            }
            list += entry.name;
        }
        return list;
    }

    // Every name in table order as English alternatives: "a", "a or b", "a, b or c".
    [[nodiscard]] std::string Alternatives() const {
        std::string list;
        for (std::size_t i = 0; i < N; ++i) {
            if (i > 0) {
                list += i + 1 == N ? " or " : ", ";
            }
            list += entries_[i].name;
        }
        return list;
    }

    // Every enumerator, in table order.
    [[nodiscard]] constexpr std::array<Enum, N> Values() const {
        std::array<Enum, N> values{};
        for (std::size_t i = 0; i < N; ++i) {
            values[i] = entries_[i].value;
        }
        return values;
    }

    [[nodiscard]] constexpr const std::array<Entry, N>& Entries() const { return entries_; }

private:
    std::array<Entry, N> entries_;
};

namespace enum_names_detail {
// Deliberately not constexpr: MakeEnumNames calls it only for a broken table, which then fails to compile with
// this name in the error.
inline void EnumNameTableHasAnEmptyOrRepeatedNameOrEnumerator() {}
}  // namespace enum_names_detail

// The table of `entries`, checked at compile time: no empty name, no name or enumerator given twice.
template <typename Enum, std::size_t N>
consteval EnumNames<Enum, N> MakeEnumNames(const typename EnumNames<Enum, N>::Entry (&entries)[N]) {
    std::array<typename EnumNames<Enum, N>::Entry, N> table{};
    for (std::size_t i = 0; i < N; ++i) {
        if (entries[i].name.empty()) {
            enum_names_detail::EnumNameTableHasAnEmptyOrRepeatedNameOrEnumerator();
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (entries[j].value == entries[i].value || entries[j].name == entries[i].name) {
                enum_names_detail::EnumNameTableHasAnEmptyOrRepeatedNameOrEnumerator();
            }
        }
        table[i] = entries[i];
    }
    return EnumNames<Enum, N>(table);
}

}  // namespace kclinic
