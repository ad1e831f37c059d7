#pragma once

// Facts of the product labels that more than one clinical rule applies: screening (eligibility), dose computation
// (dose), the planned schedule (schedule), REMS reporting (rems), the session's discharge gate (session_state) and
// the appointment lengths (settings) all read them from here, so each is stated once.
// Sources: clinical-reference §3 and §4.1; docs/clinical-rules.md.

namespace kclinic::clinical {

// Spravato USPI, limitations of use: safety and effectiveness are not established under 18. Screening refuses
// esketamine (and reviews or refuses racemic ketamine, per MinorPolicy) below it; ComputeDose refuses esketamine.
inline constexpr int kAdultAgeYears = 18;
// EU SmPC: patients aged 65 or over start esketamine at 28 mg and have the 150 mmHg systolic gate.
inline constexpr int kEuOlderAdultAgeYears = 65;

inline constexpr int kEsketamineDeviceMg = 28;                   // one Spravato device (Spravato USPI)
inline constexpr int kEsketamine56Mg = 2 * kEsketamineDeviceMg;  // TRD first dose, then 56 or 84 mg (USPI)
inline constexpr int kEsketamine84Mg = 3 * kEsketamineDeviceMg;  // SI dose and the most in one session (USPI)

// Spravato REMS / USPI: observe the patient for at least 2 hours after the first esketamine device. The session's
// discharge gate (session_state) and the least monitoring an esketamine appointment may reserve (settings) read it.
inline constexpr int kEsketamineMinMonitoringMinutes = 120;

}  // namespace kclinic::clinical
