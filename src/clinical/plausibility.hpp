#pragma once

// Input plausibility: values outside these ranges are typing or unit errors (pounds for kilograms, a pulse in the
// BP field), not patients, so every module refuses them with the same bounds. Unusual but possible values inside
// them are accepted; whether they are safe is a clinical rule's job, not this file's.

namespace kclinic::clinical {

inline constexpr int kMinAgeYears = 0;
inline constexpr int kMaxAgeYears = 120;
inline constexpr double kMinWeightKg = 30.0;  // issue 2: weights outside 30-250 kg are refused
inline constexpr double kMaxWeightKg = 250.0;
inline constexpr int kMinSystolicMmhg = 40;  // physiologically impossible outside these (design.md, issue 3)
inline constexpr int kMaxSystolicMmhg = 300;
inline constexpr int kMinDiastolicMmhg = 20;
inline constexpr int kMaxDiastolicMmhg = 200;
inline constexpr int kMinHeartRatePerMin = 20;
inline constexpr int kMaxHeartRatePerMin = 250;

}  // namespace kclinic::clinical
