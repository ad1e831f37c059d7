#include "clinical/patient_guidance.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <string>
#include <utility>

namespace kclinic::clinical {
namespace {

// Spravato USPI §2 (clinical-reference §3.4) [LABEL-US]: no food for 2 hours and no liquids for 30 minutes before
// dosing; a nasal corticosteroid or decongestant at least 1 hour before; no driving or machinery until the next day
// after a restful sleep; the REMS (§3.8) keeps the patient in the clinic for at least 2 hours.
constexpr PatientText kEsketamineNasal{
    "Do not eat for 2 hours, and do not drink for 30 minutes, before your session. If you need a nasal steroid or "
    "decongestant spray that day, use it at least 1 hour before. You will stay at the clinic for at least 2 hours "
    "after the dose. Do not drive or operate machinery until the next day, after a restful sleep: arrange a ride "
    "home.",
    "Spravato USPI §2 and REMS, clinical-reference §3.4, §3.8 [LABEL-US]"};

// Racemic ketamine (IV, IM, oral, sublingual): discharge to a responsible adult and no driving for the rest of the
// day (clinical-reference §5.5) [PRACTICE]; the label gives no patient instructions for psychiatric use.
constexpr PatientText kRacemicKetamine{
    "A responsible adult must take you home after your session. Do not drive or operate machinery for the rest of "
    "the day. Follow your clinic's instructions about eating and drinking before the session.",
    "clinical-reference §5.5 discharge: responsible adult escort, no driving for the rest of the day [PRACTICE]"};

// Not in clinical-reference: the US 988 Suicide & Crisis Lifeline (SAMHSA; FCC designation of 988, in service
// since 16 July 2022) and 911; the EU-wide emergency number 112 (Directive (EU) 2018/1972 Art. 109). [UNVERIFIED]
// until the reference cites them.
constexpr std::array kUsCrisisResources{
    CrisisResource{"Emergency services", "If you are in danger now, call 911",
                   "US emergency number [UNVERIFIED: not in clinical-reference]"},
    CrisisResource{"988 Suicide & Crisis Lifeline", "Call or text 988, any time",
                   "SAMHSA 988 Lifeline, 988lifeline.org [UNVERIFIED: not in clinical-reference]"},
};
constexpr std::array kEuCrisisResources{
    CrisisResource{"Emergency services", "If you are in danger now, call 112",
                   "EU emergency number, Directive (EU) 2018/1972 Art. 109 [UNVERIFIED: not in clinical-reference]"},
};

constexpr std::string_view kClinicCrisisSource = "the clinic's own (setting portal.crisis_resources)";

// Characters as people count them: Unicode code points of UTF-8 text (continuation bytes are 10xxxxxx).
std::size_t CharCount(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

bool HasControlCharacter(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20U || byte == 0x7FU;
    });
}

std::string_view Trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

}  // namespace

PatientText PreparationInstructions(Route route) {
    return route == Route::kEsketamineNasal ? kEsketamineNasal : kRacemicKetamine;
}

std::span<const CrisisResource> CrisisResources(Region region) {
    return region == Region::kEu ? std::span<const CrisisResource>(kEuCrisisResources)
                                 : std::span<const CrisisResource>(kUsCrisisResources);
}

Result<std::vector<CrisisResource>> ParseCrisisResources(std::string_view setting, std::string_view text) {
    const std::string name(setting);
    if (HasControlCharacter(text)) {
        return InvalidArgument(name,
                               "must not contain control characters such as line breaks; separate services "
                               "with \";\"");
    }
    std::vector<CrisisResource> resources;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find(';', start), text.size());
        const std::string_view entry = Trim(text.substr(start, end - start));
        start = end + 1;
        if (entry.empty()) {
            continue;  // "a: 1;" ends with a separator
        }
        const std::size_t colon = entry.find(':');
        if (colon == std::string_view::npos) {
            return InvalidArgument(name, R"(each service is "name: contact" (got ")" + std::string(entry) + R"("))");
        }
        const std::string_view service = Trim(entry.substr(0, colon));
        const std::string_view contact = Trim(entry.substr(colon + 1));
        if (service.empty() || contact.empty()) {
            return InvalidArgument(name,
                                   "each service needs a name and a contact (got \"" + std::string(entry) + "\")");
        }
        if (CharCount(service) > kCrisisNameMaxChars || CharCount(contact) > kCrisisContactMaxChars) {
            return InvalidArgument(name, "a service's name is at most " + std::to_string(kCrisisNameMaxChars) +
                                             " characters and its contact at most " +
                                             std::to_string(kCrisisContactMaxChars));
        }
        if (resources.size() == kCrisisResourcesMax) {
            return InvalidArgument(name, "at most " + std::to_string(kCrisisResourcesMax) + " services");
        }
        resources.push_back(CrisisResource{service, contact, kClinicCrisisSource});
    }
    return resources;
}

Status CheckCrisisText(std::string_view setting, std::string_view text) {
    if (HasControlCharacter(text)) {
        return InvalidArgument(std::string(setting), "must not contain control characters such as line breaks");
    }
    if (CharCount(text) > kCrisisTextMaxChars) {
        return InvalidArgument(std::string(setting), "at most " + std::to_string(kCrisisTextMaxChars) +
                                                         " characters (got " + std::to_string(CharCount(text)) + ")");
    }
    return Status::Ok();
}

std::vector<CrisisResource> CrisisResourcesOf(const ClinicSettings& settings) {
    Result<std::vector<CrisisResource>> own =
        ParseCrisisResources("portal.crisis_resources", settings.portal.crisis_resources);
    assert(own.ok() && "portal.crisis_resources was stored without SetSetting");
    if (own.ok() && !own->empty()) {
        return *own;
    }
    const std::span<const CrisisResource> region = CrisisResources(settings.region);
    return {region.begin(), region.end()};
}

bool IsSelfReport(Instrument instrument) {
    return Definition(instrument).rater == Rater::kPatient;
}

}  // namespace kclinic::clinical
