#include "adapters/json/clinical_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>

#include "adapters/json/json_fields.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

std::string Path(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

std::string TypeName(const Json& value) {
    if (value.is_number_integer()) {
        return "a whole number";
    }
    if (value.is_number()) {
        return "a decimal number";
    }
    return std::string("a") + (value.is_object() || value.is_array() ? "n " : " ") + value.type_name();
}

Error WrongType(const std::string& path, std::string_view expected, const Json& value) {
    return InvalidArgument(path, "must be " + std::string(expected) + " (got " + TypeName(value) + ")");
}

// Reads the fields of one JSON object by name, strictly: the caller lists every field it knows, and
// RejectUnknown() names the first one it did not.
class ObjectReader {
public:
    ObjectReader(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

    Status Int(std::string_view key, int& out, bool required) {
        const Json* value = Find(key, required);
        if (value == nullptr) {
            return status_;
        }
        if (!value->is_number_integer() || value->get<long long>() < std::numeric_limits<int>::min() ||
            value->get<long long>() > std::numeric_limits<int>::max()) {
            return WrongType(Path(path_, key), "a whole number", *value);
        }
        out = value->get<int>();
        return Status::Ok();
    }
    Status OptionalInt(std::string_view key, std::optional<int>& out) {
        int value = 0;
        if (!Has(key)) {
            return Status::Ok();
        }
        RETURN_IF_ERROR(Int(key, value, true));
        out = value;
        return Status::Ok();
    }
    Status Number(std::string_view key, double& out, bool required) {
        const Json* value = Find(key, required);
        if (value == nullptr) {
            return status_;
        }
        if (!value->is_number()) {
            return WrongType(Path(path_, key), "a number", *value);
        }
        out = value->get<double>();
        return Status::Ok();
    }
    Status OptionalNumber(std::string_view key, std::optional<double>& out) {
        double value = 0;
        if (!Has(key)) {
            return Status::Ok();
        }
        RETURN_IF_ERROR(Number(key, value, true));
        out = value;
        return Status::Ok();
    }
    Status Bool(std::string_view key, bool& out, bool required) {
        const Json* value = Find(key, required);
        if (value == nullptr) {
            return status_;
        }
        if (!value->is_boolean()) {
            return WrongType(Path(path_, key), "true or false", *value);
        }
        out = value->get<bool>();
        return Status::Ok();
    }
    Status OptionalBool(std::string_view key, std::optional<bool>& out) {
        bool value = false;
        if (!Has(key)) {
            return Status::Ok();
        }
        RETURN_IF_ERROR(Bool(key, value, true));
        out = value;
        return Status::Ok();
    }
    Status String(std::string_view key, std::string& out, bool required) {
        const Json* value = Find(key, required);
        if (value == nullptr) {
            return status_;
        }
        if (!value->is_string()) {
            return WrongType(Path(path_, key), "a string", *value);
        }
        out = value->get<std::string>();
        return Status::Ok();
    }
    Status Strings(std::string_view key, std::vector<std::string>& out) {
        const Json* value = Find(key, false);
        if (value == nullptr) {
            return status_;
        }
        if (!value->is_array()) {
            return WrongType(Path(path_, key), "an array of strings", *value);
        }
        for (std::size_t i = 0; i < value->size(); ++i) {
            if (!(*value)[i].is_string()) {
                return WrongType(Path(path_, key) + "[" + std::to_string(i) + "]", "a string", (*value)[i]);
            }
            out.push_back((*value)[i].get<std::string>());
        }
        return Status::Ok();
    }
    // The field's value when present and not null; nullptr otherwise.
    [[nodiscard]] const Json* Get(std::string_view key) const {
        auto it = object_.find(std::string(key));
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }
    [[nodiscard]] bool Has(std::string_view key) const { return Get(key) != nullptr; }

    Status RejectUnknown(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : object_.items()) {
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                return InvalidArgument(Path(path_, key), "unknown field");
            }
        }
        return Status::Ok();
    }

private:
    // The value, or nullptr with status_ set: OK when the field is optional and absent (or null), an error when
    // it is required.
    const Json* Find(std::string_view key, bool required) {
        const Json* value = Get(key);
        status_ =
            value == nullptr && required ? Status(InvalidArgument(Path(path_, key), "is required")) : Status::Ok();
        return value;
    }

    const Json& object_;
    std::string path_;
    Status status_;
};

Error WithField(Error error, const std::string& path) {
    error.field = path;
    return error;
}

Result<clinical::AntidepressantTrial> TrialFromJson(const Json& json, const std::string& path) {
    if (!json.is_object()) {
        return WrongType(path, "an object", json);
    }
    ObjectReader reader(json, path);
    if (Status known =
            reader.RejectUnknown({"drug", "weeks", "adequate_dose", "improvement_percent", "current_episode"});
        !known.ok()) {
        return known.error();
    }
    clinical::AntidepressantTrial trial;
    for (const Status& status : {reader.String("drug", trial.drug, true), reader.Int("weeks", trial.weeks, true),
                                 reader.Bool("adequate_dose", trial.adequate_dose, true),
                                 reader.Number("improvement_percent", trial.improvement_percent, true),
                                 reader.Bool("current_episode", trial.current_episode, true)}) {
        if (!status.ok()) {
            return status.error();
        }
    }
    return trial;
}

}  // namespace

Result<clinical::Intake> IntakeFromJson(const Json& json) {
    if (!json.is_object()) {
        return WrongType("intake", "a JSON object", json);
    }
    ObjectReader reader(json, "");
    if (Status known =
            reader.RejectUnknown({"age_years", "sex", "pregnant", "breastfeeding", "weight_kg", "product", "diagnoses",
                                  "conditions", "allergies", "medications", "antidepressant_trials", "blood_pressure",
                                  "heart_rate", "acute_suicidal_ideation", "child_pugh", "japanese_ancestry",
                                  "hypertensive_encephalopathy_history", "ketamine_misuse_history"});
        !known.ok()) {
        return known.error();
    }
    clinical::Intake intake;
    std::string sex;
    std::string product;
    std::string child_pugh;
    for (const Status& status :
         {reader.Int("age_years", intake.age_years, true), reader.String("sex", sex, true),
          reader.OptionalBool("pregnant", intake.pregnant), reader.Bool("breastfeeding", intake.breastfeeding, false),
          reader.OptionalNumber("weight_kg", intake.weight_kg), reader.String("product", product, true),
          reader.Strings("diagnoses", intake.diagnoses), reader.Strings("conditions", intake.conditions),
          reader.Strings("allergies", intake.allergies), reader.Strings("medications", intake.medications),
          reader.OptionalInt("heart_rate", intake.heart_rate_per_min),
          reader.Bool("acute_suicidal_ideation", intake.acute_suicidal_ideation, false),
          reader.String("child_pugh", child_pugh, false),
          reader.Bool("japanese_ancestry", intake.japanese_ancestry, false),
          reader.Bool("hypertensive_encephalopathy_history", intake.hypertensive_encephalopathy_history, false),
          reader.Bool("ketamine_misuse_history", intake.ketamine_misuse_history, false)}) {
        if (!status.ok()) {
            return status.error();
        }
    }
    Result<clinical::Sex> parsed_sex = clinical::ParseSex(sex);
    if (!parsed_sex.ok()) {
        return WithField(parsed_sex.error(), "sex");
    }
    intake.sex = *parsed_sex;
    Result<clinical::Product> parsed_product = clinical::ParseProduct(product);
    if (!parsed_product.ok()) {
        return WithField(parsed_product.error(), "product");
    }
    intake.product = *parsed_product;
    if (!child_pugh.empty()) {
        Result<clinical::ChildPugh> parsed = clinical::ParseChildPugh(child_pugh);
        if (!parsed.ok()) {
            return WithField(parsed.error(), "child_pugh");
        }
        intake.child_pugh = *parsed;
    }
    if (const Json* trials = reader.Get("antidepressant_trials")) {
        if (!trials->is_array()) {
            return WrongType("antidepressant_trials", "an array of objects", *trials);
        }
        for (std::size_t i = 0; i < trials->size(); ++i) {
            Result<clinical::AntidepressantTrial> trial =
                TrialFromJson((*trials)[i], "antidepressant_trials[" + std::to_string(i) + "]");
            if (!trial.ok()) {
                return trial.error();
            }
            intake.antidepressant_trials.push_back(std::move(trial).value());
        }
    }
    if (const Json* pressure = reader.Get("blood_pressure")) {
        if (!pressure->is_object()) {
            return WrongType("blood_pressure", "an object with systolic and diastolic", *pressure);
        }
        ObjectReader bp(*pressure, "blood_pressure");
        clinical::BloodPressure value;
        for (const Status& status :
             {bp.RejectUnknown({"systolic", "diastolic"}), bp.Int("systolic", value.systolic_mmhg, true),
              bp.Int("diastolic", value.diastolic_mmhg, true)}) {
            if (!status.ok()) {
                return status.error();
            }
        }
        intake.blood_pressure = value;
    }
    return intake;
}

Json IntakeToJson(const clinical::Intake& intake) {
    Json trials = Json::array();
    for (const clinical::AntidepressantTrial& trial : intake.antidepressant_trials) {
        trials.push_back({{"drug", trial.drug},
                          {"weeks", trial.weeks},
                          {"adequate_dose", trial.adequate_dose},
                          {"improvement_percent", trial.improvement_percent},
                          {"current_episode", trial.current_episode}});
    }
    Json json{{"age_years", intake.age_years},
              {"sex", clinical::SexName(intake.sex)},
              {"breastfeeding", intake.breastfeeding},
              {"product", clinical::ProductName(intake.product)},
              {"diagnoses", intake.diagnoses},
              {"conditions", intake.conditions},
              {"allergies", intake.allergies},
              {"medications", intake.medications},
              {"antidepressant_trials", std::move(trials)},
              {"acute_suicidal_ideation", intake.acute_suicidal_ideation},
              {"japanese_ancestry", intake.japanese_ancestry},
              {"hypertensive_encephalopathy_history", intake.hypertensive_encephalopathy_history},
              {"ketamine_misuse_history", intake.ketamine_misuse_history}};
    PutIfPresent(json, "pregnant", intake.pregnant);
    PutIfPresent(json, "weight_kg", intake.weight_kg);
    PutIfPresent(json, "heart_rate", intake.heart_rate_per_min);
    if (intake.blood_pressure) {
        json["blood_pressure"] = {{"systolic", intake.blood_pressure->systolic_mmhg},
                                  {"diastolic", intake.blood_pressure->diastolic_mmhg}};
    }
    if (intake.child_pugh) {
        json["child_pugh"] = clinical::ChildPughName(*intake.child_pugh);
    }
    return json;
}

Json ToJson(const clinical::Screening& screening) {
    Json findings = Json::array();
    for (const clinical::Finding& finding : screening.findings) {
        findings.push_back({{"rule", finding.rule_id},
                            {"severity", clinical::SeverityName(finding.severity)},
                            {"message", finding.message},
                            {"source", finding.source}});
    }
    return Json{
        {"decision", clinical::DecisionName(screening.decision)},
        {"findings", std::move(findings)},
        {"adequate_failed_trials", screening.adequate_failed_trials},
        {"counted_trial_drugs", screening.counted_trial_drugs},
        {"treatment_resistant", screening.treatment_resistant},
        {"indication_established", screening.indication_established},
    };
}

Result<Json> Parse(std::string_view text) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& error) {
        return InvalidArgument("", "invalid JSON at byte " + std::to_string(error.byte) +
                                       ": the document is not "
                                       "well-formed");
    }
}

Json ToJson(const clinical::ScaleResult& result) {
    const clinical::InstrumentDefinition& definition = clinical::Definition(result.instrument);
    Json json = {
        {"instrument", clinical::InstrumentName(result.instrument)},
        {"title", definition.title},
        {"answers", result.answers},
        {"total", result.total},
        {"total_range", {definition.total_min, definition.total_max}},
        {"band", result.band},
        {"band_rule", result.band_rule},
        {"flags", result.flags},
        {"source", definition.source},
    };
    Json loinc = Json::object();
    PutIfNotEmpty(loinc, "panel", definition.loinc_panel);
    PutIfNotEmpty(loinc, "total", definition.loinc_total);
    PutIfNotEmpty(loinc, "band", definition.loinc_band);
    PutIfNotEmpty(loinc, "note", definition.loinc_note);
    if (!loinc.empty()) {
        json["loinc"] = std::move(loinc);
    }
    if (!result.subscales.empty()) {
        Json subscales = Json::array();
        for (const clinical::SubscaleScore& subscale : result.subscales) {
            subscales.push_back({{"name", subscale.name},
                                 {"items", subscale.items},
                                 {"score", subscale.score},
                                 {"max_score", subscale.max_score}});
        }
        json["subscales"] = std::move(subscales);
    }
    if (result.pcl5_cluster_rule) {
        const clinical::Pcl5ClusterRule& rule = *result.pcl5_cluster_rule;
        json["pcl5_cluster_rule"] = {{"b_endorsed", rule.b_endorsed},
                                     {"c_endorsed", rule.c_endorsed},
                                     {"d_endorsed", rule.d_endorsed},
                                     {"e_endorsed", rule.e_endorsed},
                                     {"met", rule.met}};
    }
    if (result.phq9_syndrome) {
        json["phq9_syndrome"] = clinical::Phq9SyndromeName(*result.phq9_syndrome);
    }
    return json;
}

Json ToJson(const clinical::Outcome& outcome) {
    Json json = {
        {"instrument", clinical::InstrumentName(outcome.instrument)},
        {"baseline_total", outcome.baseline_total},
        {"current_total", outcome.current_total},
        {"change_points", outcome.change_points},
        {"reduction_percent", std::round(outcome.reduction_percent * 10.0) / 10.0},
        {"response", clinical::ResponseCategoryName(outcome.response)},
        {"response_rule", outcome.response_rule},
        {"remission", outcome.remission},
        {"remission_rule", outcome.remission_rule},
    };
    PutIfPresent(json, "reliable_change", outcome.reliable_change);
    PutIfPresent(json, "clinically_meaningful_change", outcome.clinically_meaningful_change);
    return json;
}

Json ToJson(const clinical::DoseOrder& order) {
    Json json = {
        {"route", clinical::RouteName(order.route)},
        {"total_mg", order.total_mg},
        {"weight_basis", clinical::WeightBasisName(order.weight_basis)},
        {"weight_used_kg", order.weight_used_kg},
        {"notes", order.notes},
    };
    PutIfPresent(json, "mg_per_kg", order.mg_per_kg);
    PutIfPresent(json, "minutes", order.minutes);
    PutIfPresent(json, "rate_mg_per_h", order.rate_mg_per_h);
    PutIfPresent(json, "volume_ml", order.volume_ml);
    PutIfPresent(json, "rate_ml_per_h", order.rate_ml_per_h);
    PutIfPresent(json, "devices", order.devices);
    PutIfPresent(json, "rest_minutes_between_devices", order.rest_minutes_between_devices);
    PutIfPresent(json, "min_administration_minutes", order.min_administration_minutes);
    PutIfPresent(json, "ideal_body_weight_kg", order.ideal_body_weight_kg);
    return json;
}

Json ToJson(clinical::Protocol protocol, std::span<const clinical::PlannedSession> sessions) {
    Json list = Json::array();
    for (const clinical::PlannedSession& session : sessions) {
        Json item = {
            {"number", session.number},
            {"date", FormatDate(session.date)},
            {"phase", session.phase},
            {"week", session.week},
        };
        if (!session.dose_options_mg.empty()) {
            item["dose_options_mg"] = session.dose_options_mg;
        }
        PutIfPresent(item, "label_dose_mg", session.label_dose_mg);
        PutIfNotEmpty(item, "note", session.note);
        list.push_back(std::move(item));
    }
    return Json{{"protocol", clinical::ProtocolName(protocol)}, {"sessions", std::move(list)}};
}

Json ToJson(std::span<const clinical::SettingSpec> settings) {
    Json list = Json::array();
    for (const clinical::SettingSpec& spec : settings) {
        list.push_back({{"name", spec.name},
                        {"value", spec.value},
                        {"default", spec.default_value},
                        {"allowed", spec.allowed},
                        {"source", spec.source},
                        {"description", spec.description}});
    }
    return Json{{"settings", std::move(list)}};
}

std::string FormatTime(app::TimePoint time) {
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::hh_mm_ss<std::chrono::milliseconds> clock{time - day};
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "T%02d:%02d:%02d.%03dZ", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()),
                  static_cast<int>(clock.subseconds().count()));
    return FormatDate(day) + buffer;
}

}  // namespace kclinic::adapters::json
