#include "clinical/patient_guidance.hpp"

#include <array>

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

}  // namespace

PatientText PreparationInstructions(Route route) {
    return route == Route::kEsketamineNasal ? kEsketamineNasal : kRacemicKetamine;
}

std::span<const CrisisResource> CrisisResources(Region region) {
    return region == Region::kEu ? std::span<const CrisisResource>(kEuCrisisResources)
                                 : std::span<const CrisisResource>(kUsCrisisResources);
}

bool IsSelfReport(Instrument instrument) {
    return Definition(instrument).rater == Rater::kPatient;
}

}  // namespace kclinic::clinical
