#include "cli/clinical_commands.hpp"

#include <charconv>
#include <chrono>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "base/text.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/outcomes.hpp"
#include "clinical/scales.hpp"
#include "clinical/schedule.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

// "2,3,0" -> {2, 3, 0}. Error names the position of a piece that is not a whole number.
Result<std::vector<int>> ParseAnswers(std::string_view text) {
    std::vector<int> answers;
    std::size_t position = 0;
    while (true) {
        const std::size_t comma = text.find(',', position);
        const std::string_view piece =
            text.substr(position, comma == std::string_view::npos ? std::string_view::npos : comma - position);
        int value = 0;
        const auto [end, error] = std::from_chars(piece.data(), piece.data() + piece.size(), value);
        if (piece.empty() || error != std::errc() || end != piece.data() + piece.size()) {
            return InvalidArgument("answers[" + std::to_string(answers.size() + 1) + "]",
                                   "expected a whole number (got \"" + std::string(piece) + "\")");
        }
        answers.push_back(value);
        if (comma == std::string_view::npos) {
            return answers;
        }
        position = comma + 1;
    }
}

std::string JoinFlags(const std::vector<std::string>& flags) {
    std::string joined;
    for (const std::string& flag : flags) {
        joined += (joined.empty() ? "" : ", ") + flag;
    }
    return joined.empty() ? "none" : joined;
}

// ----- score ---------------------------------------------------------------------------------------------------

struct ScoreOptions {
    CommonOptions common;
    std::string instrument;
    std::string answers;
    std::optional<int> baseline;
};

Result<CommandOutput> RunScore(const ScoreOptions& options) {
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsFrom(options.common));
    ASSIGN_OR_RETURN(clinical::Instrument instrument, clinical::ParseInstrument(options.instrument));
    ASSIGN_OR_RETURN(std::vector<int> answers, ParseAnswers(options.answers));
    ASSIGN_OR_RETURN(clinical::ScaleResult scored, clinical::Score(instrument, answers, settings.scales));
    const clinical::InstrumentDefinition& definition = clinical::Definition(instrument);
    CommandOutput output{json::ToJson(scored), ""};
    output.text = std::string(definition.title) + ": total " + std::to_string(scored.total) + " (range " +
                  std::to_string(definition.total_min) + "-" + std::to_string(definition.total_max) + "), band " +
                  scored.band + " [" + scored.band_rule + "]\nflags: " + JoinFlags(scored.flags) + "\n";

    if (options.baseline) {
        Result<clinical::Outcome> outcome =
            clinical::ClassifyOutcome(instrument, *options.baseline, scored.total, settings);
        if (!outcome.ok()) {
            Error error = outcome.error();
            if (error.field == "baseline_total") {
                error.field = "--baseline";
            }
            return error;
        }
        output.json["outcome"] = json::ToJson(*outcome);
        output.text += "change from baseline " + std::to_string(outcome->baseline_total) + ": " +
                       FormatNumber(output.json["outcome"]["reduction_percent"].get<double>()) + "% reduction, " +
                       std::string(clinical::ResponseCategoryName(outcome->response)) + "; remission " +
                       (outcome->remission ? "yes" : "no") + " [" + outcome->remission_rule + "]\n";
    }
    return output;
}

void AddScore(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<ScoreOptions>();
    CLI::App* command = app.add_subcommand("score", "Score a rating scale: total, severity band and flags");
    command->add_option("INSTRUMENT", options->instrument, clinical::kInstrumentNames.List(" "))->required();
    command
        ->add_option("ANSWERS", options->answers,
                     "Comma-separated whole numbers in item order (cssrs-screen: Q1..Q6 as 0/1, then "
                     "\"Q6 within the past 3 months\")")
        ->required();
    command->add_option("--baseline", options->baseline,
                        "Baseline total of the same instrument: adds response, partial response and remission");
    AddCommonOptions(*command, options->common);
    commands.push_back(Command{command, &options->common.json, [options] { return RunScore(*options); }});
}

// ----- screen --------------------------------------------------------------------------------------------------

struct ScreenOptions {
    CommonOptions common;
    std::string file;
};

Result<CommandOutput> RunScreen(const ScreenOptions& options) {
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsFrom(options.common));
    ASSIGN_OR_RETURN(std::string text, ReadInput(options.file));
    ASSIGN_OR_RETURN(json::Json document, json::Parse(text));
    ASSIGN_OR_RETURN(clinical::Intake intake, json::IntakeFromJson(document));
    ASSIGN_OR_RETURN(clinical::Screening screening, clinical::Screen(intake, settings));
    std::ostringstream out;
    out << "decision: " << clinical::DecisionName(screening.decision) << "  (product "
        << clinical::ProductName(intake.product)
        << "; adequate failed antidepressant trials in this episode: " << screening.adequate_failed_trials << ")\n";
    for (const clinical::Finding& finding : screening.findings) {
        out << "  [" << clinical::SeverityName(finding.severity) << "] " << finding.rule_id << ": " << finding.message
            << "\n      source: " << finding.source << "\n";
    }
    return CommandOutput{json::ToJson(screening), out.str()};
}

void AddScreen(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<ScreenOptions>();
    CLI::App* command = app.add_subcommand(
        "screen", "Screen an intake (JSON, fields in docs/cli.md) for eligibility: decision and sourced findings");
    command->add_option("FILE", options->file, "Intake JSON file, or - for stdin")->required();
    AddCommonOptions(*command, options->common);
    commands.push_back(Command{command, &options->common.json, [options] { return RunScreen(*options); }});
}

// ----- dose ----------------------------------------------------------------------------------------------------

struct DoseOptions {
    CommonOptions common;
    std::string route;
    double weight_kg = 0;
    std::optional<double> mg_per_kg;
    std::optional<double> minutes;
    std::optional<double> dose_mg;
    std::optional<double> concentration_mg_per_ml;
    bool first_dose = false;
    std::optional<double> age_years;
    std::optional<std::string> indication;
    std::string weight_basis = "actual";
    std::optional<double> height_cm;
    std::string sex;
    bool japanese_ancestry = false;
};

Result<CommandOutput> RunDose(const DoseOptions& options) {
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsFrom(options.common));
    ASSIGN_OR_RETURN(clinical::Route route, clinical::ParseRoute(options.route));
    ASSIGN_OR_RETURN(clinical::WeightBasis basis, clinical::ParseWeightBasis(options.weight_basis));
    clinical::DoseRequest request;
    request.route = route;
    request.weight_kg = options.weight_kg;
    request.mg_per_kg = options.mg_per_kg;
    request.minutes = options.minutes;
    request.dose_mg = options.dose_mg;
    request.concentration_mg_per_ml = options.concentration_mg_per_ml;
    request.first_dose = options.first_dose;
    request.age_years = options.age_years;
    if (options.indication) {
        ASSIGN_OR_RETURN(clinical::EsketamineIndication indication,
                         clinical::ParseEsketamineIndication(*options.indication));
        request.indication = indication;
    }
    request.weight_basis = basis;
    request.height_cm = options.height_cm;
    request.sex = options.sex;
    request.japanese_ancestry = options.japanese_ancestry;

    ASSIGN_OR_RETURN(clinical::DoseOrder order, clinical::ComputeDose(request, settings));
    CommandOutput output{json::ToJson(order), ""};
    std::ostringstream text;
    text << "route " << clinical::RouteName(order.route) << ": total " << FormatNumber(order.total_mg) << " mg";
    if (order.mg_per_kg) {
        text << " (" << FormatNumber(*order.mg_per_kg) << " mg/kg x " << FormatNumber(order.weight_used_kg) << " kg, "
             << clinical::WeightBasisName(order.weight_basis) << " body weight)";
    }
    text << "\n";
    if (order.minutes && order.rate_mg_per_h) {
        text << "over " << FormatNumber(*order.minutes) << " min at " << FormatNumber(*order.rate_mg_per_h)
             << " mg/h\n";
    }
    if (order.volume_ml) {
        text << "volume " << FormatNumber(*order.volume_ml) << " mL";
        if (order.rate_ml_per_h) {
            text << " at " << FormatNumber(*order.rate_ml_per_h) << " mL/h";
        }
        text << "\n";
    }
    if (order.devices) {
        text << order.devices.value() << " devices of 28 mg, " << order.rest_minutes_between_devices.value_or(0)
             << " min rest between devices (at least " << order.min_administration_minutes.value_or(0)
             << " min from first to last)\n";
    }
    for (const std::string& note : order.notes) {
        text << "note: " << note << "\n";
    }
    output.text = text.str();
    return output;
}

void AddDose(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<DoseOptions>();
    CLI::App* command = app.add_subcommand("dose", "Compute one dose with its hard limits, rates, volumes or devices");
    command->add_option("--route", options->route, clinical::kRouteNames.List(" | "))->required();
    command->add_option("--weight-kg", options->weight_kg, "Actual body weight, 30-250 kg")->required();
    command->add_option("--mg-per-kg", options->mg_per_kg, "IV/IM dose (default 0.5); oral/sublingual alternative");
    command->add_option("--minutes", options->minutes, "IV infusion time (default 40, 2-100)");
    command->add_option("--mg", options->dose_mg, "Fixed dose: esketamine (28-mg devices), oral, sublingual");
    command->add_option("--concentration-mg-per-ml", options->concentration_mg_per_ml,
                        "IV/IM concentration: adds volume_ml and rate_ml_per_h");
    command->add_flag("--first-dose", options->first_dose, "Esketamine: the first dose of the course");
    command->add_option("--age-years", options->age_years, "Esketamine: age (required for EU start-dose rules)");
    command->add_option("--indication", options->indication, "Esketamine: trd (default) | si");
    command->add_option("--weight-basis", options->weight_basis, "actual (default) | ideal | adjusted")
        ->capture_default_str();
    command->add_option("--height-cm", options->height_cm, "Height, for ideal or adjusted body weight");
    command->add_option("--sex", options->sex, "male | female, for ideal or adjusted body weight");
    command->add_flag("--japanese-ancestry", options->japanese_ancestry, "Esketamine, EU: 28-mg start dose");
    AddCommonOptions(*command, options->common);
    commands.push_back(Command{command, &options->common.json, [options] { return RunDose(*options); }});
}

// ----- schedule ------------------------------------------------------------------------------------------------

struct ScheduleOptions {
    CommonOptions common;
    std::string protocol;
    std::string start;
};

Result<CommandOutput> RunSchedule(const ScheduleOptions& options) {
    // Not required by the parser: `schedule day` and its siblings (schedule_commands.cpp) take neither.
    if (options.protocol.empty()) {
        return InvalidArgument("--protocol", "is required (or one of the subcommands: day, rooms, slots, book)");
    }
    if (options.start.empty()) {
        return InvalidArgument("--start", "is required: the first session's date, YYYY-MM-DD");
    }
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsFrom(options.common));
    ASSIGN_OR_RETURN(clinical::Protocol protocol, clinical::ParseProtocol(options.protocol));
    const std::optional<std::chrono::sys_days> start = ParseDate(options.start);
    if (!start) {
        return InvalidArgument("--start", "expected a calendar date YYYY-MM-DD (got \"" + options.start + "\")");
    }
    ASSIGN_OR_RETURN(std::vector<clinical::PlannedSession> sessions,
                     clinical::PlanSchedule(protocol, *start, settings.schedule));
    std::ostringstream text;
    text << "protocol " << clinical::ProtocolName(protocol) << ", " << sessions.size() << " planned sessions\n";
    for (const clinical::PlannedSession& session : sessions) {
        text << "  #" << session.number << "  " << FormatDate(session.date) << "  week " << session.week << "  "
             << session.phase;
        if (!session.dose_options_mg.empty()) {
            text << "  dose options (mg):";
            for (int dose_mg : session.dose_options_mg) {
                text << " " << dose_mg;
            }
        }
        if (!session.note.empty()) {
            text << "  -- " << session.note;
        }
        text << "\n";
    }
    return CommandOutput{json::ToJson(protocol, sessions), text.str()};
}

void AddSchedule(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<ScheduleOptions>();
    CLI::App* command = app.add_subcommand(
        "schedule", "Plan a protocol's sessions from a start date; or the clinic's day plan, rooms, slots, bookings");
    command->require_subcommand(0, 1);
    command->add_option("--protocol", options->protocol, clinical::kProtocolNames.List(" | "));
    command->add_option("--start", options->start, "First session date, YYYY-MM-DD");
    AddCommonOptions(*command, options->common);
    commands.push_back(Command{command, &options->common.json, [options] { return RunSchedule(*options); }});
}

// ----- settings ------------------------------------------------------------------------------------------------

Result<CommandOutput> RunSettings(const CommonOptions& options) {
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsFrom(options));
    const std::vector<clinical::SettingSpec> specs = clinical::AllSettings(settings);
    std::ostringstream text;
    for (const clinical::SettingSpec& spec : specs) {
        text << spec.name << " = " << spec.value << "  (default " << spec.default_value << "; allowed " << spec.allowed
             << ")\n    " << spec.description << "\n    source: " << spec.source << "\n";
    }
    return CommandOutput{json::ToJson(specs), text.str()};
}

void AddSettings(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<CommonOptions>();
    CLI::App* command =
        app.add_subcommand("settings", "List every tunable clinical threshold: value, default, bounds and source");
    AddCommonOptions(*command, *options);
    commands.push_back(Command{command, &options->json, [options] { return RunSettings(*options); }});
}

}  // namespace

void RegisterClinicalCommands(CLI::App& app, std::vector<Command>& commands) {
    AddScore(app, commands);
    AddScreen(app, commands);
    AddDose(app, commands);
    AddSchedule(app, commands);
    AddSettings(app, commands);
}

}  // namespace kclinic::cli
