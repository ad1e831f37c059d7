#pragma once

// ICD-10-CM codes: validation, the canonical form, and the one table that maps code ranges to the conditions the
// eligibility rules act on. Every code the screening reads goes through this file, so a range is written once.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"

namespace kclinic::clinical {

// A condition the screening rules recognise from ICD-10-CM codes.
enum class Condition {
    kAneurysm,
    kArteriovenousMalformation,
    kIntracerebralHaemorrhage,
    kPreEclampsia,
    kPregnancy,
    kPsychosis,
    kBipolarOrMania,
    kSubstanceUseDisorder,
    kSubstanceUseInRemission,
    kAcuteCoronarySyndrome,
    kPriorMyocardialInfarction,
    kValvularHeartDisease,
    kHeartFailure,
    kStrokeOrTia,
    kRaisedIntracranialPressure,
    kHypertensiveEncephalopathy,
    kHeadInjury,
    kHypertensiveCrisis,
    kRaisedIntraocularPressure,
    kHyperthyroidism,
    kSevereHepaticImpairment,
    kRespiratoryDisease,
    kCystitisOrUrinarySymptoms,
    kSuicidalIdeation,
    kMajorDepressiveDisorder,
    kMajorDepressionInRemission,
    kOtherDepressiveDisorder,
    kPtsd,
    kGeneralizedAnxietyDisorder,
};

// Stable lower_snake_case name ("intracerebral_haemorrhage").
inline constexpr auto kConditionNames =
    MakeEnumNames<Condition>({{Condition::kAneurysm, "aneurysm"},
                              {Condition::kArteriovenousMalformation, "arteriovenous_malformation"},
                              {Condition::kIntracerebralHaemorrhage, "intracerebral_haemorrhage"},
                              {Condition::kPreEclampsia, "pre_eclampsia"},
                              {Condition::kPregnancy, "pregnancy"},
                              {Condition::kPsychosis, "psychosis"},
                              {Condition::kBipolarOrMania, "bipolar_or_mania"},
                              {Condition::kSubstanceUseDisorder, "substance_use_disorder"},
                              {Condition::kSubstanceUseInRemission, "substance_use_in_remission"},
                              {Condition::kAcuteCoronarySyndrome, "acute_coronary_syndrome"},
                              {Condition::kPriorMyocardialInfarction, "prior_myocardial_infarction"},
                              {Condition::kValvularHeartDisease, "valvular_heart_disease"},
                              {Condition::kHeartFailure, "heart_failure"},
                              {Condition::kStrokeOrTia, "stroke_or_tia"},
                              {Condition::kRaisedIntracranialPressure, "raised_intracranial_pressure"},
                              {Condition::kHypertensiveEncephalopathy, "hypertensive_encephalopathy"},
                              {Condition::kHeadInjury, "head_injury"},
                              {Condition::kHypertensiveCrisis, "hypertensive_crisis"},
                              {Condition::kRaisedIntraocularPressure, "raised_intraocular_pressure"},
                              {Condition::kHyperthyroidism, "hyperthyroidism"},
                              {Condition::kSevereHepaticImpairment, "severe_hepatic_impairment"},
                              {Condition::kRespiratoryDisease, "respiratory_disease"},
                              {Condition::kCystitisOrUrinarySymptoms, "cystitis_or_urinary_symptoms"},
                              {Condition::kSuicidalIdeation, "suicidal_ideation"},
                              {Condition::kMajorDepressiveDisorder, "major_depressive_disorder"},
                              {Condition::kMajorDepressionInRemission, "major_depression_in_remission"},
                              {Condition::kOtherDepressiveDisorder, "other_depressive_disorder"},
                              {Condition::kPtsd, "ptsd"},
                              {Condition::kGeneralizedAnxietyDisorder, "generalized_anxiety_disorder"}});
[[nodiscard]] constexpr std::string_view ConditionName(Condition condition) {
    return kConditionNames.Name(condition);
}

// One row of the condition table. `codes` and `except` are comma-separated patterns over ICD-10-CM codes, each
// either a prefix ("I67.1", matching I67.1 and everything below it) or a range of equal-length prefixes
// ("F10-F19", matching F10..F19 by category; "O00-O9A" also matches O9A). A '?' in a prefix matches any one
// character ("F1?.21" matches F10.21..F19.21). Dots are optional and case is ignored. A code has the condition
// when it matches `codes` and does not match `except`.
struct ConditionCodes {
    Condition condition;
    std::string_view description;  // what a clinician calls it, for messages ("aneurysmal vascular disease")
    std::string_view codes;
    std::string_view except;  // empty when nothing is excluded
    std::string_view source;  // label / guideline / paper that makes the condition matter, with its tag
};

// The whole table, one row per Condition, in the order of the enum.
[[nodiscard]] std::span<const ConditionCodes> ConditionCodeTable();

// The table row for `condition`.
[[nodiscard]] const ConditionCodes& ConditionCodesFor(Condition condition);

// True when `code` has the shape of an ICD-10-CM code: a letter, a digit, a digit or letter (the category, e.g.
// "F33", "O9A"), then optionally a dot and 1-4 letters or digits, or the same 1-4 characters without the dot
// ("F332"). Case is ignored; no spaces are allowed. Whether the code exists in the current release is not checked.
[[nodiscard]] bool IsIcd10CmCode(std::string_view code);

// The canonical form of a code: upper case, with the dot after the category when more characters follow
// ("f332" -> "F33.2", "F33" -> "F33"). Error kInvalidArgument naming `field` when the code is malformed.
[[nodiscard]] Result<std::string> NormalizeIcd10Cm(std::string_view code, std::string field);

// True when `code` matches any pattern in the comma-separated `patterns` (grammar as in ConditionCodes).
// False when `code` is not an ICD-10-CM code.
[[nodiscard]] bool CodeMatchesPatterns(std::string_view code, std::string_view patterns);

// Every condition `code` has, in enum order; empty when it has none or is not an ICD-10-CM code.
[[nodiscard]] std::vector<Condition> ConditionsOf(std::string_view code);

// Whether `code` has `condition`.
[[nodiscard]] bool HasCondition(std::string_view code, Condition condition);

// Checks the table itself: one row per condition in enum order, every pattern well formed (range ends of equal
// length and in order), a source on every row. Error kInternal naming the row otherwise. Run by the tests.
[[nodiscard]] Status CheckConditionCodeTable();

}  // namespace kclinic::clinical
