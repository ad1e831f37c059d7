#include "adapters/json/clinical_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/json/json_fields.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

Error WithField(Error error, const std::string& path) {
    error.field = path;
    return error;
}

}  // namespace

clinical::AntidepressantTrial ReadAntidepressantTrial(ObjectReader& reader) {
    clinical::AntidepressantTrial trial;
    trial.drug = reader.String("drug");
    trial.weeks = reader.Int("weeks");
    trial.adequate_dose = reader.Boolean("adequate_dose");
    trial.improvement_percent = reader.Number("improvement_percent");
    trial.current_episode = reader.Boolean("current_episode");
    return trial;
}

Result<clinical::Intake> IntakeFromJson(const Json& json) {
    ObjectReader reader(json, "intake");
    clinical::Intake intake;
    intake.age_years = reader.Int("age_years");
    const std::string sex = reader.String("sex");
    intake.pregnant = reader.OptionalBoolean("pregnant");
    intake.breastfeeding = reader.OptionalBoolean("breastfeeding").value_or(false);
    intake.weight_kg = reader.OptionalNumber("weight_kg");
    const std::string product = reader.String("product");
    intake.diagnoses = reader.OptionalStringArray("diagnoses");
    intake.conditions = reader.OptionalStringArray("conditions");
    intake.allergies = reader.OptionalStringArray("allergies");
    intake.medications = reader.OptionalStringArray("medications");
    for (ObjectReader* trial : reader.OptionalObjectArray("antidepressant_trials")) {
        intake.antidepressant_trials.push_back(ReadAntidepressantTrial(*trial));
    }
    if (ObjectReader* pressure = reader.OptionalObject("blood_pressure")) {
        intake.blood_pressure = clinical::BloodPressure{pressure->Int("systolic"), pressure->Int("diastolic")};
    }
    intake.heart_rate_per_min = reader.OptionalInt("heart_rate");
    intake.acute_suicidal_ideation = reader.OptionalBoolean("acute_suicidal_ideation").value_or(false);
    const std::string child_pugh = reader.OptionalString("child_pugh").value_or("");  // "" reads as not assessed
    intake.japanese_ancestry = reader.OptionalBoolean("japanese_ancestry").value_or(false);
    intake.hypertensive_encephalopathy_history =
        reader.OptionalBoolean("hypertensive_encephalopathy_history").value_or(false);
    intake.ketamine_misuse_history = reader.OptionalBoolean("ketamine_misuse_history").value_or(false);
    RETURN_IF_ERROR(reader.Finish());
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
    // Where the parser is, as a field path ("bp.systolic", "trials[1].weeks"), so a refusal names the field. One frame
    // per open object or array, outermost first.
    struct Frame {
        bool array = false;
        std::vector<std::string> keys;  // an object's names so far; the last is the one being read
        std::size_t items = 0;          // an array's values so far
    };
    std::vector<Frame> frames;
    const auto path = [&frames] {
        std::string field;
        for (const Frame& frame : frames) {
            if (frame.array) {
                field += "[" + std::to_string(frame.items) + "]";
            } else if (!frame.keys.empty()) {
                field += (field.empty() ? "" : ".") + frame.keys.back();
            }
        }
        return field;
    };
    std::optional<Error> duplicate;
    // A value ended: an array around it moves on to its next item.
    const auto value_ended = [&frames] {
        if (!frames.empty() && frames.back().array) {
            ++frames.back().items;
        }
    };
    const Json::parser_callback_t track = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
                frames.push_back(Frame{});
                break;
            case Json::parse_event_t::array_start:
                frames.push_back(Frame{.array = true, .keys = {}, .items = 0});
                break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                frames.pop_back();
                value_ended();
                break;
            case Json::parse_event_t::key: {
                // RFC 8259 §4 leaves a repeated name's meaning to the reader; nlohmann keeps the last, another
                // reader (a proxy, an auditor's tool) may keep the first, so a body saying two things is refused.
                std::vector<std::string>& keys = frames.back().keys;
                const auto& name = parsed.get_ref<const std::string&>();
                const bool repeated = std::find(keys.begin(), keys.end(), name) != keys.end();
                keys.push_back(name);
                if (repeated && !duplicate) {
                    duplicate = InvalidArgument(path(), "is given twice; send each field once");
                }
                break;
            }
            case Json::parse_event_t::value:
                value_ended();
                break;
        }
        return true;
    };
    try {
        Json document = Json::parse(text, track);
        if (duplicate) {
            return *duplicate;
        }
        return document;
    } catch (const Json::parse_error& error) {
        return InvalidArgument("", "invalid JSON at byte " + std::to_string(error.byte) +
                                       ": the document is not "
                                       "well-formed");
    } catch (const Json::out_of_range& error) {
        // nlohmann's 406 "number overflow parsing '1e309'": a number whose double is infinite. Echo the number, cut
        // short so a megabyte of digits does not come back.
        const std::string_view what = error.what();
        const std::size_t open = what.find('\'');
        const std::size_t close = what.rfind('\'');
        std::string number(open != std::string_view::npos && close > open ? what.substr(open + 1, close - open - 1)
                                                                          : std::string_view("a huge number"));
        constexpr std::size_t kEchoed = 40;
        if (number.size() > kEchoed) {
            number = number.substr(0, kEchoed) + "...";
        }
        return InvalidArgument(
            path(),
            "must be a number within a double's range, at most 1.8e308 either side of zero (got " + number + ")");
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
