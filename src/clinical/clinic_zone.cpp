#include "clinical/clinic_zone.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

// RFC 8536 §3.3 extends POSIX: hours of an offset or a rule time may reach 167 (a week less an hour).
constexpr int kMaxRuleHours = 167;
// POSIX TZ: a change happens at 02:00 local time when the rule gives no time.
constexpr seconds kDefaultChangeTime = hours{2};
constexpr std::size_t kMaxZoneNameLength = 64;

// ---- The POSIX TZ rule of a TZif footer (POSIX.1-2017 §8.3, RFC 8536 §3.3) ----

class RuleParser {
public:
    RuleParser(std::string_view field, std::string_view text) : field_(field), text_(text) {}

    Result<RecurringRule> Parse() {
        RecurringRule rule;
        RETURN_IF_ERROR(SkipName());
        ASSIGN_OR_RETURN(const seconds standard_west, Time());
        rule.standard_offset = -standard_west;
        if (AtEnd()) {
            return rule;
        }
        RETURN_IF_ERROR(SkipName());
        rule.daylight_offset = rule.standard_offset + hours{1};
        if (!AtEnd() && Peek() != ',') {
            ASSIGN_OR_RETURN(const seconds daylight_west, Time());
            rule.daylight_offset = -daylight_west;
        }
        // A TZif footer with daylight time always states when it starts and ends (RFC 8536 §3.3).
        RETURN_IF_ERROR(Expect(','));
        ASSIGN_OR_RETURN(rule.daylight_starts, Day());
        ASSIGN_OR_RETURN(rule.daylight_starts_at, ChangeTime());
        RETURN_IF_ERROR(Expect(','));
        ASSIGN_OR_RETURN(rule.daylight_ends, Day());
        ASSIGN_OR_RETURN(rule.daylight_ends_at, ChangeTime());
        if (!AtEnd()) {
            return Malformed("unexpected text after the end rule");
        }
        return rule;
    }

private:
    [[nodiscard]] bool AtEnd() const { return position_ >= text_.size(); }
    [[nodiscard]] char Peek() const { return AtEnd() ? '\0' : text_[position_]; }

    Error Malformed(std::string_view what) const {
        return InvalidArgument(std::string(field_), "the zone's rule \"" + std::string(text_) +
                                                        "\" is not a POSIX TZ rule: " + std::string(what));
    }

    Status Expect(char wanted) {
        if (Peek() != wanted) {
            return Malformed(std::string("expected '") + wanted + "'");
        }
        ++position_;
        return Status::Ok();
    }

    // A zone abbreviation: three or more letters, or <...> of letters, digits, '+' and '-'. Only its place matters.
    Status SkipName() {
        const std::size_t begin = position_;
        if (Peek() == '<') {
            while (!AtEnd() && Peek() != '>') {
                ++position_;
            }
            RETURN_IF_ERROR(Expect('>'));
            return position_ - begin >= 5 ? Status::Ok() : Malformed("an abbreviation in <> is under 3 characters");
        }
        while (std::isalpha(static_cast<unsigned char>(Peek())) != 0) {
            ++position_;
        }
        return position_ - begin >= 3 ? Status::Ok() : Malformed("expected an abbreviation of 3 or more letters");
    }

    Result<int> Number(int max) {
        if (std::isdigit(static_cast<unsigned char>(Peek())) == 0) {
            return Malformed("expected a number");
        }
        int value = 0;
        while (std::isdigit(static_cast<unsigned char>(Peek())) != 0) {
            value = value * 10 + (text_[position_] - '0');
            ++position_;
            if (value > max) {
                return Malformed("a number is over " + std::to_string(max));
            }
        }
        return value;
    }

    // [+-]hh[:mm[:ss]], as an offset (west of UTC positive) or a time of day.
    Result<seconds> Time() {
        int sign = 1;
        if (Peek() == '+' || Peek() == '-') {
            sign = Peek() == '-' ? -1 : 1;
            ++position_;
        }
        ASSIGN_OR_RETURN(const int hour, Number(kMaxRuleHours));
        seconds value = hours{hour};
        for (int part = 0; part < 2 && Peek() == ':'; ++part) {
            ++position_;
            ASSIGN_OR_RETURN(const int sixtieths, Number(59));
            value += part == 0 ? seconds{sixtieths * 60} : seconds{sixtieths};
        }
        return sign * value;
    }

    Result<seconds> ChangeTime() {
        if (Peek() != '/') {
            return kDefaultChangeTime;
        }
        ++position_;
        return Time();
    }

    Result<RecurringRule::Day> Day() {
        using Kind = RecurringRule::Day::Kind;
        RecurringRule::Day day;
        if (Peek() == 'M') {
            ++position_;
            day.kind = Kind::kMonthWeekDay;
            ASSIGN_OR_RETURN(day.month, Number(12));
            RETURN_IF_ERROR(Expect('.'));
            ASSIGN_OR_RETURN(day.week, Number(5));
            RETURN_IF_ERROR(Expect('.'));
            ASSIGN_OR_RETURN(day.weekday, Number(6));
            if (day.month < 1 || day.week < 1) {
                return Malformed("month and week count from 1");
            }
            return day;
        }
        if (Peek() == 'J') {
            ++position_;
            day.kind = Kind::kJulianNoLeap;
            ASSIGN_OR_RETURN(day.day, Number(365));
            if (day.day < 1) {
                return Malformed("Jn counts from 1");
            }
            return day;
        }
        day.kind = Kind::kZeroBased;
        ASSIGN_OR_RETURN(day.day, Number(365));
        return day;
    }

    std::string_view field_;
    std::string_view text_;
    std::size_t position_ = 0;
};

sys_days RuleDate(const RecurringRule::Day& day, std::chrono::year year) {
    using Kind = RecurringRule::Day::Kind;
    const sys_days january_first{year / std::chrono::January / 1};
    switch (day.kind) {
        case Kind::kMonthWeekDay: {
            const std::chrono::month month{static_cast<unsigned>(day.month)};
            const std::chrono::weekday weekday{static_cast<unsigned>(day.weekday)};
            if (day.week == 5) {
                return sys_days{year / month / weekday[std::chrono::last]};
            }
            return sys_days{year / month / weekday[static_cast<unsigned>(day.week)]};
        }
        case Kind::kJulianNoLeap:
            // Day 60 is March 1 whether or not the year has a February 29.
            return january_first + days{day.day - 1} + days{year.is_leap() && day.day >= 60 ? 1 : 0};
        case Kind::kZeroBased:
            return january_first + days{day.day};
    }
    return january_first;
}

seconds RuleOffset(const RecurringRule& rule, sys_seconds at) {
    if (!rule.daylight_offset) {
        return rule.standard_offset;
    }
    const std::chrono::year year =
        std::chrono::year_month_day{std::chrono::floor<days>(at + rule.standard_offset)}.year();
    const sys_seconds starts =
        sys_seconds{RuleDate(rule.daylight_starts, year)} + rule.daylight_starts_at - rule.standard_offset;
    const sys_seconds ends =
        sys_seconds{RuleDate(rule.daylight_ends, year)} + rule.daylight_ends_at - *rule.daylight_offset;
    // In the southern hemisphere (and in Dublin, whose "daylight" time is winter's) daylight time spans the new year.
    const bool daylight = starts < ends ? (at >= starts && at < ends) : !(at >= ends && at < starts);
    return daylight ? *rule.daylight_offset : rule.standard_offset;
}

// ---- TZif (RFC 8536) ----

class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

    [[nodiscard]] bool Has(std::size_t count) const { return bytes_.size() - position_ >= count; }
    [[nodiscard]] std::string_view Rest() const { return bytes_.substr(position_); }

    // PRECONDITION: Has(count).
    std::string_view Take(std::size_t count) {
        const std::string_view taken = bytes_.substr(position_, count);
        position_ += count;
        return taken;
    }
    // Big-endian two's complement of `size` bytes (4 or 8). PRECONDITION: Has(size).
    std::int64_t Signed(std::size_t size) {
        std::uint64_t value = 0;
        for (const char byte : Take(size)) {
            value = (value << 8U) | static_cast<unsigned char>(byte);
        }
        if (size == 4) {
            return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
        }
        return static_cast<std::int64_t>(value);
    }

private:
    std::string_view bytes_;
    std::size_t position_ = 0;
};

struct TzifHeader {
    char version = 0;
    std::int64_t isutcnt = 0;
    std::int64_t isstdcnt = 0;
    std::int64_t leapcnt = 0;
    std::int64_t timecnt = 0;
    std::int64_t typecnt = 0;
    std::int64_t charcnt = 0;

    // The size of the data block that follows, with transition times of `time_size` bytes.
    [[nodiscard]] std::int64_t BlockSize(std::int64_t time_size) const {
        return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    }
};

struct TzifData {
    std::chrono::seconds initial_offset{0};
    std::vector<ClinicZone::Transition> transitions;
};

class TzifParser {
public:
    TzifParser(std::string_view field, std::string_view bytes) : field_(field), reader_(bytes) {}

    Result<ClinicZone> Parse(std::string name) {
        ASSIGN_OR_RETURN(const TzifHeader first, Header());
        if (first.version == '\0') {
            ASSIGN_OR_RETURN(TzifData data, Block(first, 4));
            return ClinicZone(std::move(name), data.initial_offset, std::move(data.transitions), std::nullopt);
        }
        // Version 2 and later repeat the data with 64-bit times after the 32-bit block, then add the footer.
        if (!reader_.Has(static_cast<std::size_t>(first.BlockSize(4)))) {
            return Malformed("truncated");
        }
        reader_.Take(static_cast<std::size_t>(first.BlockSize(4)));
        ASSIGN_OR_RETURN(const TzifHeader second, Header());
        ASSIGN_OR_RETURN(TzifData data, Block(second, 8));
        const std::string_view footer = reader_.Rest();
        const std::size_t end = footer.find('\n', 1);
        if (footer.empty() || footer.front() != '\n' || end == std::string_view::npos) {
            return Malformed("the footer is missing or not a line");
        }
        std::optional<RecurringRule> rule;
        if (end > 1) {
            ASSIGN_OR_RETURN(rule, ParsePosixRule(field_, footer.substr(1, end - 1)));
        }
        return ClinicZone(std::move(name), data.initial_offset, std::move(data.transitions), rule);
    }

private:
    Error Malformed(std::string_view what) const {
        return InvalidArgument(std::string(field_),
                               "the zone's file is not a readable TZif file (RFC 8536): " + std::string(what));
    }

    Result<TzifHeader> Header() {
        constexpr std::size_t kHeaderSize = 44;
        if (!reader_.Has(kHeaderSize)) {
            return Malformed("truncated header");
        }
        if (reader_.Take(4) != "TZif") {
            return Malformed("no TZif magic");
        }
        TzifHeader header;
        header.version = reader_.Take(1).front();
        if (header.version != '\0' && (header.version < '2' || header.version > '4')) {
            return Malformed("unknown version");
        }
        reader_.Take(15);
        std::array<std::int64_t*, 6> counts = {&header.isutcnt, &header.isstdcnt, &header.leapcnt,
                                               &header.timecnt, &header.typecnt,  &header.charcnt};
        for (std::int64_t* count : counts) {
            *count = reader_.Signed(4);
            if (*count < 0) {
                return Malformed("a negative count");
            }
        }
        if (header.typecnt == 0 || header.charcnt == 0 || (header.isstdcnt != 0 && header.isstdcnt != header.typecnt) ||
            (header.isutcnt != 0 && header.isutcnt != header.typecnt)) {
            return Malformed("inconsistent counts");
        }
        if (header.leapcnt != 0) {
            return Malformed("it counts leap seconds (a \"right/\" zone); the record's clock does not");
        }
        return header;
    }

    Result<TzifData> Block(const TzifHeader& header, std::size_t time_size) {
        if (!reader_.Has(static_cast<std::size_t>(header.BlockSize(static_cast<std::int64_t>(time_size))))) {
            return Malformed("truncated data block");
        }
        const auto count = static_cast<std::size_t>(header.timecnt);
        std::vector<sys_seconds> times;
        times.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            times.emplace_back(seconds{reader_.Signed(time_size)});
            if (i > 0 && times[i] <= times[i - 1]) {
                return Malformed("transition times do not ascend");
            }
        }
        std::vector<std::size_t> type_of_transition;
        type_of_transition.reserve(count);
        for (const char index : reader_.Take(count)) {
            type_of_transition.push_back(static_cast<unsigned char>(index));
            if (type_of_transition.back() >= static_cast<std::size_t>(header.typecnt)) {
                return Malformed("a transition names no local time type");
            }
        }
        std::vector<seconds> type_offsets;
        for (std::int64_t i = 0; i < header.typecnt; ++i) {
            type_offsets.emplace_back(reader_.Signed(4));
            reader_.Take(2);  // isdst and the abbreviation's index: the date needs neither
        }
        TzifData data;
        data.initial_offset = type_offsets.front();  // RFC 8536 §3.2: time type 0 holds before the first transition
        for (std::size_t i = 0; i < count; ++i) {
            data.transitions.push_back(ClinicZone::Transition{times[i], type_offsets[type_of_transition[i]]});
        }
        reader_.Take(static_cast<std::size_t>(header.charcnt + header.isstdcnt + header.isutcnt));
        return data;
    }

    std::string_view field_;
    ByteReader reader_;
};

bool IsZoneNameCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-' || c == '+';
}

}  // namespace

ClinicZone ClinicZone::Utc() {
    return {"UTC", seconds{0}, {}, std::nullopt};
}

ClinicZone::ClinicZone(std::string name, seconds initial_offset, std::vector<Transition> transitions,
                       std::optional<RecurringRule> rule)
    : name_(std::move(name)), initial_offset_(initial_offset), transitions_(std::move(transitions)), rule_(rule) {}

seconds ClinicZone::OffsetAt(TimePoint at) const {
    return OffsetAt(std::chrono::floor<seconds>(at));
}

seconds ClinicZone::OffsetAt(sys_seconds at) const {
    // RFC 8536 §3.2: the footer rule holds from the last transition on, and for all time in a file without any.
    if (transitions_.empty()) {
        return rule_ ? RuleOffset(*rule_, at) : initial_offset_;
    }
    if (at < transitions_.front().at) {
        return initial_offset_;
    }
    const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), at,
                                        [](sys_seconds time, const Transition& t) { return time < t.at; });
    if (after == transitions_.end() && rule_) {
        return RuleOffset(*rule_, at);
    }
    return std::prev(after)->offset;
}

sys_days ClinicZone::LocalDate(TimePoint at) const {
    return std::chrono::floor<days>(at + OffsetAt(at));
}

sys_seconds ClinicZone::LocalToUtc(sys_seconds local) const {
    // The local time read as if it were UTC; the instant is that minus the offset in force then. The offsets in force
    // within two days either side are the only candidates (no zone changes its offset twice in two days).
    std::optional<sys_seconds> instant;
    sys_seconds earliest = sys_seconds::max();
    sys_seconds latest = sys_seconds::min();
    for (const int day : {-2, -1, 0, 1, 2}) {
        const seconds offset = OffsetAt(local + days{day});
        const sys_seconds candidate = local - offset;
        earliest = std::min(earliest, candidate);
        latest = std::max(latest, candidate);
        // The earlier of two instants when the clocks go back across the local time.
        if (OffsetAt(candidate) == offset && (!instant || candidate < *instant)) {
            instant = candidate;
        }
    }
    if (instant) {
        return *instant;
    }
    // The local time falls in a gap (clocks that jump from 01:59:59 to 03:00, or Havana's from 23:59:59 to 01:00):
    // the first instant whose local time is past it, the jump.
    while (earliest < latest) {
        const sys_seconds middle = earliest + (latest - earliest) / 2;
        if (middle + OffsetAt(middle) >= local) {
            latest = middle;
        } else {
            earliest = middle + seconds{1};
        }
    }
    return earliest;
}

TimePoint ClinicZone::AtLocal(sys_days date, std::chrono::minutes time_of_day) const {
    return TimePoint{LocalToUtc(sys_seconds{date} + time_of_day)};
}

LocalDay ClinicZone::DayOf(sys_days date) const {
    return LocalDay{AtLocal(date, std::chrono::minutes{0}), AtLocal(date + days{1}, std::chrono::minutes{0})};
}

Status CheckZoneName(std::string_view field, std::string_view name) {
    const auto invalid = [&](std::string_view why) {
        return InvalidArgument(std::string(field), "\"" + std::string(name) + "\" is not an IANA time zone name (" +
                                                       std::string(why) +
                                                       "), e.g. America/New_York, Europe/London or UTC");
    };
    if (name.empty() || name.size() > kMaxZoneNameLength) {
        return invalid("1 to " + std::to_string(kMaxZoneNameLength) + " characters");
    }
    std::size_t begin = 0;
    while (begin <= name.size()) {
        const std::size_t end = std::min(name.find('/', begin), name.size());
        const std::string_view part = name.substr(begin, end - begin);
        if (part.empty() || part == "." || part == "..") {
            return invalid(R"(an empty, "." or ".." part)");
        }
        if (!std::all_of(part.begin(), part.end(), IsZoneNameCharacter)) {
            return invalid("letters, digits, '.', '_', '-', '+' and '/' only");
        }
        begin = end + 1;
    }
    return Status::Ok();
}

Result<ClinicZone> ParseTzif(std::string_view field, std::string name, std::string_view bytes) {
    return TzifParser(field, bytes).Parse(std::move(name));
}

Result<RecurringRule> ParsePosixRule(std::string_view field, std::string_view text) {
    return RuleParser(field, text).Parse();
}

}  // namespace kclinic::clinical
