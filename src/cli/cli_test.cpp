// The CLI contract (docs/cli.md), tested by running the real `kclinic` binary: exit status 0 with one JSON object
// on stdout for --json; exit status 2 with exactly one line on stderr and nothing on stdout for bad input.

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::json;

struct ProcessRun {
    int exit_status = -1;
    std::string out;
    std::string err;
};

// Runs kclinic with `args`, feeding `input` on stdin; collects stdout and stderr without risking a pipe deadlock.
ProcessRun Kclinic(const std::vector<std::string>& args, const std::string& input = "") {
    std::array<int, 2> in_pipe{};
    std::array<int, 2> out_pipe{};
    std::array<int, 2> err_pipe{};
    if (pipe(in_pipe.data()) != 0 || pipe(out_pipe.data()) != 0 || pipe(err_pipe.data()) != 0) {
        ADD_FAILURE() << "pipe failed";
        return {};
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in_pipe[0], STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            close(fd);
        }
        std::vector<char*> argv;
        std::string binary = KCLINIC_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copies = args;
        for (std::string& arg : copies) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (!input.empty()) {
        const ssize_t written = write(in_pipe[1], input.data(), input.size());
        EXPECT_EQ(written, static_cast<ssize_t>(input.size()));
    }
    close(in_pipe[1]);

    ProcessRun run;
    std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    int open_fds = 2;
    std::array<char, 4096> buffer{};
    while (open_fds > 0) {
        if (poll(fds.data(), fds.size(), 10000) <= 0) {
            ADD_FAILURE() << "kclinic did not finish within 10 s";
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
                continue;
            }
            (i == 0 ? run.out : run.err).append(buffer.data(), static_cast<std::size_t>(n));
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

std::string Describe(const std::vector<std::string>& args) {
    std::string text = "kclinic";
    for (const std::string& arg : args) {
        text += " " + arg;
    }
    return text;
}

// Success: exit 0, nothing on stderr, exactly one JSON object on stdout.
Json ExpectJson(const std::vector<std::string>& args, const std::string& input = "") {
    ProcessRun run = Kclinic(args, input);
    EXPECT_EQ(run.exit_status, 0) << Describe(args) << "\nstderr: " << run.err;
    EXPECT_EQ(run.err, "") << Describe(args);
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << Describe(args) << ": " << run.out;
    Json parsed = Json::parse(run.out, nullptr, false);
    EXPECT_TRUE(parsed.is_object()) << Describe(args) << ": " << run.out;
    return parsed;
}

// Bad input: exit 2, nothing on stdout, one line on stderr that contains `expected`.
void ExpectBadInput(const std::vector<std::string>& args, const std::string& expected, const std::string& input = "") {
    ProcessRun run = Kclinic(args, input);
    EXPECT_EQ(run.exit_status, 2) << Describe(args) << "\nstderr: " << run.err;
    EXPECT_EQ(run.out, "") << Describe(args);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << Describe(args) << ": " << run.err;
    EXPECT_NE(run.err.find(expected), std::string::npos)
        << Describe(args) << "\nexpected stderr to contain: " << expected << "\nstderr: " << run.err;
}

std::string Demo() {
    return std::string(KCLINIC_SOURCE_DIR) + "/testdata/demo/intake.json";
}

TEST(CliTest, HelpExitsZeroForEveryCommand) {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"--help"},
                                               {"score", "--help"},
                                               {"screen", "--help"},
                                               {"dose", "--help"},
                                               {"schedule", "--help"},
                                               {"schedule", "day", "--help"},
                                               {"schedule", "rooms", "--help"},
                                               {"schedule", "slots", "--help"},
                                               {"schedule", "book", "--help"},
                                               {"settings", "--help"},
                                               {"migrate", "--help"},
                                               {"patient", "--help"},
                                               {"patient", "add", "--help"},
                                               {"patient", "list", "--help"},
                                               {"patient", "show", "--help"},
                                               {"backup", "--help"},
                                               {"restore", "--help"},
                                               {"export", "--help"},
                                               {"audit", "--help"},
                                               {"audit", "verify", "--help"},
                                               {"serve", "--help"},
                                               {"user", "--help"},
                                               {"user", "add", "--help"},
                                               {"user", "list", "--help"},
                                               {"user", "disable", "--help"},
                                               {"user", "unlock", "--help"},
                                               {"user", "medical-director", "--help"},
                                               {"user", "set-password", "--help"},
                                               {"user", "reset-second-factor", "--help"},
                                               {"user", "second-factor-policy", "--help"},
                                               {"token", "--help"},
                                               {"token", "create", "--help"},
                                               {"token", "list", "--help"},
                                               {"token", "revoke", "--help"}}) {
        ProcessRun run = Kclinic(args);
        EXPECT_EQ(run.exit_status, 0) << Describe(args);
        EXPECT_NE(run.out.find("Usage"), std::string::npos) << Describe(args) << run.out;
    }
}

struct ScoreCase {
    std::string instrument;
    std::string answers;
    int total;
    std::string band;
    bool suicidality;
};

TEST(CliTest, ScoreEveryInstrument) {
    const std::vector<ScoreCase> cases = {
        {"phq9", "2,3,2,2,1,3,2,1,1", 17, "moderately_severe", true},
        {"phq9", "0,0,0,0,0,0,0,0,0", 0, "minimal", false},
        {"gad7", "3,3,3,3,3,3,3", 21, "severe", false},
        {"madrs", "4,4,3,4,2,3,4,4,3,2", 33, "moderate", false},
        {"madrs", "0,0,0,0,0,0,0,0,0,4", 4, "normal", true},
        {"qids-sr16", "3,2,0,0,2,0,0,0,3,1,1,0,1,1,0,2", 14, "moderate", false},  // summing all 16 gives 16
        {"hamd17", "2,1,1,1,1,1,2,1,1,2,1,1,1,1,1,1,0", 19, "moderate", true},
        {"pcl5", "2,2,2,2,2,1,1,2,2,2,2,1,1,1,2,2,2,1,1,1", 32, "below_threshold", false},
        {"cssrs-screen", "1,1,1,0,0,1,0", 4, "moderate", true},
        {"cssrs-screen", "0,0,0,0,0,0,0", 0, "none", false},
        {"cadss", "1,1,0,0,0,1,1,0,0,0,0,0,0,0,1,0,0,0,0,0,0,1,0", 6, "dissociation", false},
        {"cadss6", "1,1,1,1,1,1", 6, "not_established", false},
        {"moaas", "3", 3, "moderate_or_deeper", false},
    };
    for (const ScoreCase& c : cases) {
        Json result = ExpectJson({"score", c.instrument, c.answers, "--json"});
        EXPECT_EQ(result["instrument"], c.instrument);
        EXPECT_EQ(result["total"], c.total) << c.instrument << " " << c.answers;
        EXPECT_EQ(result["band"], c.band) << c.instrument << " " << c.answers;
        ASSERT_TRUE(result["flags"].is_array());
        const bool flagged =
            std::find(result["flags"].begin(), result["flags"].end(), "suicidality") != result["flags"].end();
        EXPECT_EQ(flagged, c.suicidality) << c.instrument << " " << c.answers;
    }
}

TEST(CliTest, ScoreWithBaselineReportsOutcomeAndTheRemissionRuleUsed) {
    Json result = ExpectJson({"score", "madrs", "1,1,1,1,1,1,1,1,1,1", "--baseline", "32", "--json"});
    EXPECT_EQ(result["outcome"]["response"], "response");
    EXPECT_EQ(result["outcome"]["remission"], true);
    EXPECT_EQ(result["outcome"]["remission_rule"], "madrs_total<=12");

    result = ExpectJson({"score", "madrs", "2,1,1,1,1,1,1,1,1,1", "--baseline", "32", "--set",
                         "outcomes.madrs_remission_max=10", "--json"});
    EXPECT_EQ(result["total"], 11);
    EXPECT_EQ(result["outcome"]["remission"], false);
    EXPECT_EQ(result["outcome"]["remission_rule"], "madrs_total<=10");
}

TEST(CliTest, ScoreRefusesBadInput) {
    ExpectBadInput({"score", "phq10", "1,2", "--json"}, "instrument");
    ExpectBadInput({"score", "phq9", "1,1,1,1,1,1,1,1", "--json"}, "phq9 expects 9 answers (got 8)");
    ExpectBadInput({"score", "phq9", "1,1,1,1,1,1,1,1,4", "--json"}, "answers[9]");
    ExpectBadInput({"score", "phq9", "1,1,x,1,1,1,1,1,1", "--json"}, "answers[3]: expected a whole number");
    ExpectBadInput({"score", "phq9", "1,,1,1,1,1,1,1,1", "--json"}, "answers[2]");
    ExpectBadInput({"score", "cssrs-screen", "1,0,1,0,0,0,0", "--json"}, "answers[3]");
    ExpectBadInput({"score", "hamd17", "0,0,0,3,0,0,0,0,0,0,0,0,0,0,0,0,0", "--json"}, "answers[4]");
    ExpectBadInput({"score", "phq9", "0,0,0,0,0,0,0,0,0", "--set", "scales.madrs_bands=muller"},
                   "--set scales.madrs_bands: must be one of snaith|alternative");
    ExpectBadInput({"score", "phq9", "0,0,0,0,0,0,0,0,0", "--set", "nonsense"}, "--set: expected NAME=VALUE");
    ExpectBadInput({"score", "cssrs-screen", "0,0,0,0,0,0,0", "--baseline", "3"}, "instrument");
    ExpectBadInput({"score", "madrs", "0,0,0,0,0,0,0,0,0,0", "--baseline", "61"},
                   "--baseline: must be between 1 and 60");
    ExpectBadInput({"score", "phq9"}, "ANSWERS");
    ExpectBadInput({"score", "phq9", "0,0,0,0,0,0,0,0,0", "--bogus"}, "--bogus");
    ExpectBadInput({}, "subcommand");
}

TEST(CliTest, TextOutputIsForPeople) {
    ProcessRun run = Kclinic({"score", "phq9", "2,3,2,2,1,3,2,1,1"});
    EXPECT_EQ(run.exit_status, 0);
    EXPECT_NE(run.out.find("total 17"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("suicidality"), std::string::npos) << run.out;
}

TEST(CliTest, ScreenReadsAFileOrStdin) {
    Json from_file = ExpectJson({"screen", Demo(), "--json"});
    EXPECT_EQ(from_file["decision"], "eligible_with_cautions");
    EXPECT_EQ(from_file["adequate_failed_trials"], 2);
    ASSERT_TRUE(from_file["findings"].is_array());
    for (const Json& finding : from_file["findings"]) {
        for (const char* key : {"rule", "severity", "message", "source"}) {
            EXPECT_TRUE(finding[key].is_string()) << key << " in " << finding.dump();
        }
    }

    const std::string intake = R"({"age_years": 30, "sex": "male", "product": "esketamine-nasal",
        "diagnoses": ["F32.2"], "conditions": ["I67.1"], "blood_pressure": {"systolic": 120, "diastolic": 80}})";
    Json from_stdin = ExpectJson({"screen", "-", "--json"}, intake);
    EXPECT_EQ(from_stdin["decision"], "not_eligible");
    bool aneurysm = false;
    for (const Json& finding : from_stdin["findings"]) {
        aneurysm = aneurysm || (finding["severity"] == "contraindication" &&
                                finding["message"].get<std::string>().find("I67.1") != std::string::npos);
    }
    EXPECT_TRUE(aneurysm) << from_stdin.dump();
}

// Issue 10: this intake answered "eligible" with no interaction, the brand names unknown to the drug table. Each is
// now read as its generic ingredient, and a name the dictionary does not know is a review.
TEST(CliTest, ScreenReadsBrandNamesAndFlagsUnknownDrugs) {
    const std::string intake = R"({"age_years": 45, "sex": "male", "product": "ketamine-iv", "diagnoses": ["F33.1"],
        "blood_pressure": {"systolic": 120, "diastolic": 80}, "medications": ["Adderall", "Xanax", "Norco"],
        "antidepressant_trials": [
          {"drug": "Zoloft", "weeks": 8, "adequate_dose": true, "improvement_percent": 10, "current_episode": true},
          {"drug": "Lexapro", "weeks": 8, "adequate_dose": true, "improvement_percent": 10, "current_episode": true}]})";
    Json screened = ExpectJson({"screen", "-", "--json"}, intake);
    EXPECT_EQ(screened["decision"], "eligible_with_cautions");
    EXPECT_EQ(screened["counted_trial_drugs"], Json::array({"sertraline", "escitalopram"}));
    std::vector<std::string> rules;
    for (const Json& finding : screened["findings"]) {
        rules.push_back(finding["rule"].get<std::string>());
    }
    for (const char* rule : {"interaction.psychostimulant", "interaction.benzodiazepine", "interaction.opioid"}) {
        EXPECT_NE(std::ranges::find(rules, rule), rules.end()) << rule << " in " << screened.dump();
    }

    const std::string unknown = R"({"age_years": 45, "sex": "male", "product": "ketamine-iv",
        "blood_pressure": {"systolic": 120, "diastolic": 80}, "medications": ["kratom"]})";
    Json flagged = ExpectJson({"screen", "-", "--json"}, unknown);
    EXPECT_EQ(flagged["decision"], "needs_review");
    EXPECT_NE(flagged.dump().find("review.drug_not_recognised"), std::string::npos) << flagged.dump();
}

TEST(CliTest, ScreenSettingsChangeTheDecision) {
    // Two 5-week trials count only when a clinic accepts 4-week trials.
    const std::string intake = R"({"age_years": 45, "sex": "male", "product": "ketamine-iv", "diagnoses": ["F33.1"],
        "blood_pressure": {"systolic": 120, "diastolic": 80},
        "antidepressant_trials": [
          {"drug": "sertraline", "weeks": 5, "adequate_dose": true, "improvement_percent": 10, "current_episode": true},
          {"drug": "duloxetine", "weeks": 5, "adequate_dose": true, "improvement_percent": 10, "current_episode": true}]})";
    EXPECT_EQ(ExpectJson({"screen", "-", "--json"}, intake)["treatment_resistant"], false);
    Json four_weeks = ExpectJson({"screen", "-", "--json", "--set", "screening.trd_min_trial_weeks=4"}, intake);
    EXPECT_EQ(four_weeks["treatment_resistant"], true);
    EXPECT_EQ(four_weeks["decision"], "eligible");
}

TEST(CliTest, ScreenRefusesBadInput) {
    ExpectBadInput({"screen", "/no/such/file.json"}, "cannot open");
    ExpectBadInput({"screen", "-"}, "invalid JSON at byte", "{\"age_years\": 4");
    ExpectBadInput({"screen", "-"}, "intake: must be a JSON object", "[1, 2]");
    // Found when the API was probed with hostile input (issue 15 §3): a number beyond a double's range exited 1 (an
    // escaped exception), and a repeated field was read as its last value.
    ExpectBadInput({"screen", "-"}, "weight_kg: must be a number within a double's range",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "weight_kg": 1e309})");
    ExpectBadInput({"screen", "-"}, "weight_kg: must be a number within a double's range",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "weight_kg": -1e309})");
    ExpectBadInput({"screen", "-"}, "sex: is given twice; send each field once",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "sex": "female"})");
    ExpectBadInput({"screen", "-"}, "age_years: is required", R"({"sex": "male", "product": "ketamine-iv"})");
    ExpectBadInput({"screen", "-"}, "acute_suicidal_ideaton: unknown field",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "acute_suicidal_ideaton": true})");
    ExpectBadInput({"screen", "-"}, "age_years: must be a whole number (got a string)",
                   R"({"age_years": "30", "sex": "male", "product": "ketamine-iv"})");
    ExpectBadInput({"screen", "-"}, "product", R"({"age_years": 30, "sex": "male", "product": "ketamine-nasal"})");
    ExpectBadInput({"screen", "-"}, "antidepressant_trials[0].weeks: is required",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "antidepressant_trials": [
                       {"drug": "sertraline", "adequate_dose": true, "improvement_percent": 0, "current_episode": true}]})");
    ExpectBadInput({"screen", "-"}, "blood_pressure.diastolic: must be a whole number",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv",
                       "blood_pressure": {"systolic": 120, "diastolic": "80"}})");
    ExpectBadInput({"screen", "-"}, "weight_kg",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "weight_kg": 300})");
    ExpectBadInput({"screen", "-"}, "diagnoses[0]",
                   R"({"age_years": 30, "sex": "male", "product": "ketamine-iv", "diagnoses": ["depression"]})");
}

struct DoseCase {
    std::vector<std::string> args;
    double total_mg;
};

TEST(CliTest, DoseForEveryRoute) {
    Json iv = ExpectJson({"dose", "--route", "iv", "--weight-kg", "70", "--concentration-mg-per-ml", "1", "--json"});
    EXPECT_DOUBLE_EQ(iv["total_mg"].get<double>(), 35.0);
    EXPECT_DOUBLE_EQ(iv["rate_mg_per_h"].get<double>(), 52.5);
    EXPECT_DOUBLE_EQ(iv["volume_ml"].get<double>(), 35.0);
    EXPECT_DOUBLE_EQ(iv["rate_ml_per_h"].get<double>(), 52.5);
    EXPECT_EQ(iv["weight_basis"], "actual");

    Json nasal = ExpectJson({"dose", "--route", "esketamine-nasal", "--weight-kg", "70", "--mg", "84", "--json"});
    EXPECT_EQ(nasal["devices"], 3);
    EXPECT_EQ(nasal["rest_minutes_between_devices"], 5);
    EXPECT_DOUBLE_EQ(nasal["total_mg"].get<double>(), 84.0);

    const std::vector<DoseCase> cases = {
        {{"--route", "im", "--weight-kg", "80", "--mg-per-kg", "0.25"}, 20.0},
        {{"--route", "oral", "--weight-kg", "80", "--mg", "150"}, 150.0},
        {{"--route", "sublingual", "--weight-kg", "80", "--mg", "50"}, 50.0},
        {{"--route", "iv", "--weight-kg", "120", "--weight-basis", "ideal", "--height-cm", "177.8", "--sex", "male"},
         36.5},  // Devine: 50 + 2.3 x 10 in = 73 kg
    };
    for (const DoseCase& c : cases) {
        std::vector<std::string> args = {"dose"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.push_back("--json");
        EXPECT_DOUBLE_EQ(ExpectJson(args)["total_mg"].get<double>(), c.total_mg) << Describe(args);
    }
}

TEST(CliTest, DoseRefusesUnsafeOrMalformedOrders) {
    ExpectBadInput({"dose", "--route", "iv", "--weight-kg", "29.9"}, "weight_kg: must be between 30 and 250 kg");
    ExpectBadInput({"dose", "--route", "iv", "--weight-kg", "251"}, "weight_kg");
    ExpectBadInput({"dose", "--route", "iv", "--weight-kg", "70", "--mg-per-kg", "1.01"}, "mg_per_kg");
    ExpectBadInput(
        {"dose", "--route", "iv", "--weight-kg", "70", "--mg-per-kg", "0.9", "--set", "dose.iv_max_mg_per_kg=0.8"},
        "mg_per_kg");
    ExpectBadInput({"dose", "--route", "iv", "--weight-kg", "70", "--set", "dose.iv_max_mg_per_kg=1.5"},
                   "--set dose.iv_max_mg_per_kg: must be between 0.1 and 1 mg/kg");
    ExpectBadInput({"dose", "--route", "esketamine-nasal", "--weight-kg", "70", "--mg", "70"},
                   "device count must be whole");
    ExpectBadInput({"dose", "--route", "esketamine-nasal", "--weight-kg", "70", "--mg", "84", "--first-dose"},
                   "dose_mg");
    ExpectBadInput({"dose", "--route", "esketamine-nasal", "--weight-kg", "70", "--mg", "112"}, "dose_mg");
    ExpectBadInput({"dose", "--route", "intrathecal", "--weight-kg", "70"}, "route");
    ExpectBadInput({"dose", "--route", "iv", "--weight-kg", "seventy"}, "--weight-kg");
    ExpectBadInput({"dose", "--weight-kg", "70"}, "--route");
}

TEST(CliTest, ScheduleListsDatedSessions) {
    Json iv = ExpectJson({"schedule", "--protocol", "iv-induction", "--start", "2026-12-01", "--json"});
    EXPECT_EQ(iv["protocol"], "iv-induction");
    ASSERT_EQ(iv["sessions"].size(), 6u);
    const std::vector<std::string> dates = {"2026-12-01", "2026-12-04", "2026-12-08",
                                            "2026-12-11", "2026-12-15", "2026-12-18"};
    for (std::size_t i = 0; i < dates.size(); ++i) {
        EXPECT_EQ(iv["sessions"][i]["date"], dates[i]) << i;
        EXPECT_EQ(iv["sessions"][i]["number"], i + 1) << i;
        EXPECT_EQ(iv["sessions"][i]["phase"], "induction") << i;
    }
    Json esketamine = ExpectJson({"schedule", "--protocol", "esketamine-trd", "--start", "2026-12-01", "--json"});
    EXPECT_EQ(esketamine["sessions"][0]["dose_options_mg"], Json::array({56}));
    EXPECT_EQ(esketamine["sessions"][8]["phase"], "maintenance");
    EXPECT_EQ(esketamine["sessions"][8]["date"], "2026-12-29");
}

TEST(CliTest, ScheduleRefusesBadInput) {
    ExpectBadInput({"schedule", "--protocol", "iv-induction", "--start", "2026-02-30"},
                   "--start: expected a calendar date");
    ExpectBadInput({"schedule", "--protocol", "iv-induction", "--start", "1/12/2026"}, "--start");
    ExpectBadInput({"schedule", "--protocol", "weekly", "--start", "2026-12-01"}, "protocol");
    ExpectBadInput({"schedule", "--protocol", "iv-induction", "--start", "2026-12-01", "--set",
                    "schedule.iv_induction_per_week=4"},
                   "schedule.iv_induction_per_week");
}

TEST(CliTest, SettingsListsEveryThresholdWithItsSource) {
    Json listed = ExpectJson({"settings", "--json", "--set", "dose.iv_max_mg_per_kg=0.8"});
    ASSERT_TRUE(listed["settings"].is_array());
    bool found = false;
    for (const Json& setting : listed["settings"]) {
        EXPECT_FALSE(setting["source"].get<std::string>().empty()) << setting.dump();
        if (setting["name"] == "dose.iv_max_mg_per_kg") {
            found = true;
            EXPECT_EQ(setting["value"], "0.8");
            EXPECT_EQ(setting["default"], "1");
        }
    }
    EXPECT_TRUE(found);
}

// The clinic's zone is listed with the other settings; here only the name's shape can be checked (the server checks
// that the zone exists).
TEST(CliTest, SettingsListTheClinicsTimeZone) {
    Json listed = ExpectJson({"settings", "--json", "--set", "clinic.time_zone=America/New_York"});
    bool found = false;
    for (const Json& setting : listed["settings"]) {
        if (setting["name"] == "clinic.time_zone") {
            found = true;
            EXPECT_EQ(setting["value"], "America/New_York");
            EXPECT_EQ(setting["default"], "UTC");
        }
    }
    EXPECT_TRUE(found);
    ExpectBadInput({"settings", "--set", "clinic.time_zone=../../etc/passwd"},
                   "--set clinic.time_zone: \"../../etc/passwd\" is not an IANA time zone name");
}

// The record commands against a real SQLite file in a fresh temporary folder.
// A Monday two to three weeks ahead by the real clock: bookable whatever day the test runs (the default hours are
// Monday to Friday 08:00-18:00, in UTC).
std::string MondayAhead() {
    std::chrono::sys_days day =
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days{14};
    while (std::chrono::weekday{day} != std::chrono::Monday) {
        day += std::chrono::days{1};
    }
    const std::chrono::year_month_day date{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

TEST(CliTest, ScheduleDayRoomsSlotsAndBookOnSqlite) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string db = std::string("sqlite:") + folder_template + "/clinic.db";
    const std::string monday = MondayAhead();
    const std::string id = std::to_string(
        ExpectJson({"patient", "add", "--mrn", "MRN-S", "--given-name", "Ada", "--family-name", "Example",
                    "--birth-date", "1980-03-14", "--sex", "female", "--db", db, "--json"})["id"]
            .get<std::int64_t>());

    EXPECT_EQ(ExpectJson({"schedule", "rooms", "--db", db, "--json"})["rooms"], Json::array());
    const Json slots = ExpectJson({"schedule", "slots", "--type", "follow-up", "--patient", id, "--from", monday,
                                   "--count", "2", "--db", db, "--json"});
    ASSERT_EQ(slots["slots"].size(), 2U);
    EXPECT_EQ(slots["slots"][0]["start"], monday + "T08:00:00.000Z");
    ExpectBadInput({"schedule", "slots", "--type", "massage", "--patient", id, "--from", monday, "--db", db}, "type");

    const Json booked = ExpectJson({"schedule", "book", "--type", "follow-up", "--patient", id, "--start",
                                    monday + "T09:00:00Z", "--db", db, "--json"});
    EXPECT_EQ(booked["status"], "booked");
    ExpectBadInput(
        {"schedule", "book", "--type", "intake", "--patient", id, "--start", monday + "T09:15:00Z", "--db", db},
        "kclinic schedule book: patient_double_booked: patient_double_booked: the patient has a follow-up");
    ExpectBadInput(
        {"schedule", "book", "--type", "iv-session", "--patient", id, "--start", monday + "T11:00:00Z", "--db", db},
        "room_required");
    ExpectBadInput({"schedule", "book", "--type", "follow-up", "--patient", id, "--start", "tomorrow", "--db", db},
                   "--start: expected an RFC 3339 time");

    const Json plan = ExpectJson({"schedule", "day", "--date", monday, "--db", db, "--json"});
    EXPECT_EQ(plan["date"], monday);
    ASSERT_EQ(plan["rooms"].size(), 1U);
    EXPECT_TRUE(plan["rooms"][0]["room"].is_null());
    EXPECT_EQ(plan["rooms"][0]["appointments"][0]["local_start"], "09:00");
    const ProcessRun text = Kclinic({"schedule", "day", "--date", monday, "--db", db});
    EXPECT_EQ(text.exit_status, 0) << text.err;
    EXPECT_NE(text.out.find(monday + "  UTC  hours 08:00-18:00"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("No room"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("09:00-09:"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Ada Example"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("follow-up"), std::string::npos) << text.out;
    ExpectBadInput({"schedule", "day", "--date", "2026-02-30", "--db", db}, "--date: expected a calendar date");
    // The protocol planner is the same command without a subcommand, and still needs its options.
    ExpectBadInput({"schedule", "--start", "2026-12-01"}, "--protocol: is required");
}

TEST(CliTest, PatientAddListShowOnSqlite) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string db = std::string("sqlite:") + folder_template + "/clinic.db";

    Json migrated = ExpectJson({"migrate", "--db", db, "--json"});
    EXPECT_EQ(migrated["database"], "sqlite");

    Json added = ExpectJson({"patient", "add", "--mrn", "MRN-7", "--given-name", "Ada", "--family-name", "Example",
                             "--birth-date", "1980-03-14", "--sex", "female", "--db", db, "--json"});
    EXPECT_EQ(added["mrn"], "MRN-7");
    EXPECT_EQ(added["birth_date"], "1980-03-14");
    EXPECT_EQ(added["clinician"], "");  // none named
    EXPECT_EQ(added["address"], "");
    const std::int64_t id = added["id"].get<std::int64_t>();
    // The address the dispensing log names (21 CFR 1304.22(c)), a line per option, in order.
    Json with_address = ExpectJson({"patient", "add", "--mrn", "MRN-A", "--given-name", "Bo", "--family-name", "Lane",
                                    "--birth-date", "1975-01-02", "--sex", "male", "--address-line", "12 Elm Street",
                                    "--address-line", "Springfield, IL 62701", "--db", db, "--json"});
    EXPECT_EQ(with_address["address"], "12 Elm Street\nSpringfield, IL 62701");
    ExpectBadInput({"patient", "add", "--mrn", "MRN-B", "--given-name", "Bo", "--family-name", "Lane", "--birth-date",
                    "1975-01-02", "--sex", "male", "--clinician", "nobody@clinic.example", "--db", db},
                   "clinician");

    ExpectBadInput({"patient", "add", "--mrn", "MRN-7", "--given-name", "Ada", "--family-name", "Example",
                    "--birth-date", "1980-03-14", "--sex", "female", "--db", db},
                   "kclinic patient add: mrn: a patient with MRN MRN-7 already exists");
    ExpectBadInput({"patient", "add", "--mrn", "MRN-8", "--given-name", "Ada", "--family-name", "Example",
                    "--birth-date", "1980-02-30", "--sex", "female", "--db", db},
                   "--birth-date: expected a calendar date");
    ExpectBadInput({"patient", "add", "--mrn", "MRN-8", "--given-name", "Ada", "--family-name", "Example",
                    "--birth-date", "1980-02-03", "--sex", "f", "--db", db},
                   "--sex");

    Json listed = ExpectJson({"patient", "list", "--db", db, "--json"});
    ASSERT_EQ(listed["patients"].size(), 2u);
    EXPECT_EQ(listed["patients"][0]["id"], id);
    // Found by MRN (exactly) or by name (a prefix, A-Z in any case, or "family, given"); a search is by one of them.
    EXPECT_EQ(ExpectJson({"patient", "list", "--mrn", "MRN-7", "--db", db, "--json"})["patients"][0]["id"], id);
    EXPECT_EQ(ExpectJson({"patient", "list", "--mrn", "MRN-", "--db", db, "--json"})["patients"].size(), 0u);
    EXPECT_EQ(ExpectJson({"patient", "list", "--name", "EXAMPLE, a", "--db", db, "--json"})["patients"][0]["id"], id);
    EXPECT_EQ(ExpectJson({"patient", "list", "--name", "ad", "--db", db, "--json"})["patients"].size(), 1u);
    EXPECT_EQ(ExpectJson({"patient", "list", "--name", "Eve", "--db", db, "--json"})["patients"].size(), 0u);
    ExpectBadInput({"patient", "list", "--mrn", "MRN-7", "--name", "Ada", "--db", db},
                   "mrn: search by mrn or by name, not both");
    ExpectBadInput({"patient", "list", "--name", ", Ada", "--db", db}, "name: needs the family name before the comma");

    Json shown = ExpectJson({"patient", "show", std::to_string(id), "--db", db, "--json"});
    EXPECT_EQ(shown["family_name"], "Example");
    EXPECT_TRUE(shown["assessments"].is_array());
    ExpectBadInput({"patient", "show", "999", "--db", db}, "no patient with id 999");
    ExpectBadInput({"patient", "list", "--db", "mysql://x"}, "--db: expected sqlite:PATH or postgres://");

    // Backup while the database exists, restore into a new file, and the patient is there.
    const std::string backup = std::string(folder_template) + "/backup.db";
    ExpectJson({"backup", "--db", db, "--to", backup, "--json"});
    ExpectBadInput({"backup", "--db", db, "--to", backup}, "kclinic backup:");  // never overwrites
    const std::string restored = std::string("sqlite:") + folder_template + "/restored.db";
    ExpectJson({"restore", "--from", backup, "--db", restored, "--json"});
    ExpectBadInput({"restore", "--from", backup, "--db", restored}, "kclinic restore:");  // exists: needs --replace
    ExpectJson({"restore", "--from", backup, "--db", restored, "--replace", "--json"});
    Json restored_list = ExpectJson({"patient", "list", "--db", restored, "--json"});
    ASSERT_EQ(restored_list["patients"].size(), 2u);
    EXPECT_EQ(restored_list["patients"][0]["mrn"], "MRN-7");
    EXPECT_EQ(restored_list["patients"][1]["address"], "12 Elm Street\nSpringfield, IL 62701");
    ExpectBadInput({"backup", "--db", "postgresql://nobody@127.0.0.1:1/x", "--to", backup + "2"}, "pg_dump");
    std::filesystem::remove_all(folder_template);
}

TEST(CliTest, ExportWritesTheWholeRecordAsNdjson) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string folder = folder_template;
    const std::string db = "sqlite:" + folder + "/clinic.db";
    ExpectJson({"patient", "add", "--mrn", "MRN-1", "--given-name", "Ada", "--family-name", "Example", "--birth-date",
                "1980-03-14", "--sex", "female", "--db", db, "--json"});

    // To stdout: only NDJSON there, the summary on stderr; every line one object with a type and a record.
    ProcessRun run = Kclinic({"export", "--format", "ndjson", "--db", db});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.err, "exported 1 patients and 1 audit entries\n");
    std::istringstream lines(run.out);
    std::vector<std::string> types;
    for (std::string line; std::getline(lines, line);) {
        Json parsed = Json::parse(line, nullptr, false);
        ASSERT_TRUE(parsed.is_object()) << line;
        types.push_back(parsed["type"].get<std::string>());
        if (types.back() == "patient") {
            EXPECT_EQ(parsed["record"]["mrn"], "MRN-1");
        }
    }
    EXPECT_EQ(types, (std::vector<std::string>{"export", "patient", "audit_entry"}));

    // To a file: created whole, never overwritten, no partial file left behind.
    const std::string out = folder + "/clinic.ndjson";
    Json written = ExpectJson({"export", "--format", "ndjson", "--out", out, "--db", db, "--json"});
    EXPECT_EQ(written["patients"], 1);
    EXPECT_TRUE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
    ExpectBadInput({"export", "--format", "ndjson", "--out", out, "--db", db}, "already exists");
    ExpectBadInput({"export", "--format", "csv", "--db", db}, "--format: must be ndjson");
    ExpectBadInput({"export", "--format", "ndjson", "--json", "--db", db}, "--json: needs --out FILE");
    std::filesystem::remove_all(folder);
}

// `kclinic audit verify`: exit 0 with the chain's length and head while it holds (the check audits itself, so the
// second check counts one entry more); after an entry is edited behind kclinic's back with Debian's sqlite3, exit 2
// naming that entry.
TEST(CliTest, AuditVerifyHoldsThenNamesTheEditedEntry) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string folder = folder_template;
    const std::string file = folder + "/clinic.db";
    const std::string db = "sqlite:" + file;
    ExpectJson({"patient", "add", "--mrn", "MRN-1", "--given-name", "Ada", "--family-name", "Example", "--birth-date",
                "1980-03-14", "--sex", "female", "--db", db, "--json"});
    Json first = ExpectJson({"audit", "verify", "--db", db, "--json"});
    EXPECT_EQ(first["intact"], true);
    EXPECT_EQ(first["chained_entries"], 1);
    EXPECT_EQ(first["entries_before_chain"], 0);
    EXPECT_EQ(first["head_hash"].get<std::string>().size(), 64U);
    EXPECT_EQ(ExpectJson({"audit", "verify", "--db", db, "--json"})["chained_entries"], 2);

    const std::string tamper =
        "sqlite3 '" + file +
        "' 'DROP TRIGGER audit_log_no_update; UPDATE audit_log SET record_id = record_id + 1 WHERE id = 1;'";
    ASSERT_EQ(std::system(tamper.c_str()), 0) << tamper;
    ExpectBadInput({"audit", "verify", "--db", db}, "the audit chain is broken at entry 1: its content does not match");
    std::filesystem::remove_all(folder);
}

// Everything in the SQLite database and its write-ahead log, as bytes.
std::string DatabaseBytes(const std::string& path) {
    std::string bytes;
    for (const std::string& file : {path, path + "-wal"}) {
        std::ifstream in(file, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
}

// `kclinic inventory` against a real SQLite file: stock received, listed, counted with a second counter whose own
// password comes on stdin (the operator's account is the OS login, never a witness), and the inspector's CSV reports.
TEST(CliTest, InventoryCommandsOnSqlite) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string folder = folder_template;
    const std::string db = "sqlite:" + folder + "/clinic.db";
    const std::string password = "tulip-granite-lantern";
    ExpectJson({"user", "add", "rn2@clinic.example", "--role", "nurse", "--db", db, "--json"}, password + "\n");

    Json received = ExpectJson({"inventory", "receive", "--product", "ketamine_100mg_ml_5ml", "--lot", "K9",
                                "--expires-on", "2099-01-31", "--supplier", "Acme", "--invoice", "INV-7", "--location",
                                "safe", "--containers", "2", "--db", db, "--json"});
    ASSERT_EQ(received["containers"].size(), 2u);
    const std::string first = std::to_string(received["containers"][0]["id"].get<std::int64_t>());
    const std::string second = std::to_string(received["containers"][1]["id"].get<std::int64_t>());
    const ProcessRun listed = Kclinic({"inventory", "list", "--db", db});
    EXPECT_EQ(listed.exit_status, 0) << listed.err;
    EXPECT_NE(listed.out.find("on hand 500 mg / 5 mL"), std::string::npos) << listed.out;

    ExpectBadInput({"inventory", "count", "--location", "safe", "--found", first + ":5ml", "--found", second + ":4.8",
                    "--witness", "rn2@clinic.example", "--db", db},
                   "--found", password + "\n");
    ExpectBadInput({"inventory", "count", "--location", "safe", "--found", first + ":5ml", "--found", second + ":4.8ml",
                    "--witness", "rn2@clinic.example", "--db", db},
                   "witness", "not the password\n");
    Json counted = ExpectJson({"inventory", "count", "--location", "safe", "--found", first + ":5ml", "--found",
                               second + ":4.8ml", "--witness", "rn2@clinic.example", "--db", db, "--json"},
                              password + "\n");
    ASSERT_EQ(counted["containers"].size(), 2u);
    EXPECT_EQ(counted["containers"][1]["balance"]["discrepancy"]["mg"], 20.0);

    const ProcessRun inventory = Kclinic({"inventory", "report", "inventory", "--db", db});
    EXPECT_EQ(inventory.exit_status, 0) << inventory.err;
    EXPECT_EQ(inventory.out.rfind("product,description,lot_number", 0), 0u) << inventory.out;
    EXPECT_NE(inventory.out.find(",safe,4800,ul,480,4.8,0"), std::string::npos) << inventory.out;
    const ProcessRun losses = Kclinic({"inventory", "report", "losses", "--from", "2000-01-01T00:00:00Z", "--to",
                                       "2100-01-01T00:00:00Z", "--db", db});
    EXPECT_EQ(losses.exit_status, 0) << losses.err;
    EXPECT_NE(losses.out.find("count," + second + ",ketamine_100mg_ml_5ml,K9,200,20,5000,"), std::string::npos)
        << losses.out;
    ExpectBadInput({"inventory", "report", "losses", "--from", "yesterday", "--to", "2100-01-01T00:00:00Z", "--db", db},
                   "--from");
    std::filesystem::remove_all(folder);
}

// `kclinic standing-orders` against a real SQLite file: a version signed by a prescriber who confirms with their own
// password (never by the operating-system user, nor by a nurse), listed, and shown as in force now and by version.
TEST(CliTest, StandingOrderCommandsOnSqlite) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string folder = folder_template;
    const std::string db = "sqlite:" + folder + "/clinic.db";
    const std::string password = "tulip-granite-lantern";
    ExpectJson({"user", "add", "director@clinic.example", "--role", "prescriber", "--db", db, "--json"},
               password + "\n");
    ExpectJson({"user", "add", "rn@clinic.example", "--role", "nurse", "--db", db, "--json"}, password + "\n");
    // The medical director, who signs the set and a count's discrepancy, is designated from the command line too.
    ExpectBadInput({"user", "medical-director", "rn@clinic.example", "--db", db},
                   "kclinic user medical-director: email: rn@clinic.example is not an active prescriber");
    EXPECT_EQ(ExpectJson({"user", "medical-director", "director@clinic.example", "--db", db, "--json"})
                  .value("medical_director", false),
              true);
    const Json set = {{"supersedes_version", 0},
                      {"note", "clinic protocol 2026"},
                      {"entries",
                       {{{"drug", "ondansetron"},
                         {"dose", 4},
                         {"unit", "mg"},
                         {"routes", {"iv", "odt"}},
                         {"indication", "nausea"},
                         {"max_doses_per_session", 2},
                         {"min_interval_minutes", 30}}}}};
    const std::string file = folder + "/set.json";
    std::ofstream(file) << set.dump();
    Json bad_route = set;
    bad_route["entries"][0]["routes"] = {"intrathecal"};
    const std::string bad_file = folder + "/bad.json";
    std::ofstream(bad_file) << bad_route.dump();

    ProcessRun none = Kclinic({"standing-orders", "list", "--db", db});
    EXPECT_EQ(none.exit_status, 0) << none.err;
    EXPECT_EQ(none.out, "no standing orders signed\n");
    ExpectBadInput({"standing-orders", "sign", "--file", bad_file, "--signer", "director@clinic.example", "--db", db},
                   "entries[0].routes", password + "\n");
    ExpectBadInput({"standing-orders", "sign", "--file", file, "--signer", "rn@clinic.example", "--db", db}, "signer",
                   password + "\n");
    ExpectBadInput({"standing-orders", "sign", "--file", file, "--signer", "director@clinic.example", "--db", db},
                   "signer", "not the password\n");
    ExpectBadInput({"standing-orders", "sign", "--file", "-", "--signer", "director@clinic.example", "--db", db},
                   "--file", password + "\n");
    const Json signed_set = ExpectJson(
        {"standing-orders", "sign", "--file", file, "--signer", "director@clinic.example", "--db", db, "--json"},
        password + "\n");
    EXPECT_EQ(signed_set["version"], 1);
    EXPECT_EQ(signed_set["signed_by"], "director@clinic.example");

    const ProcessRun listed = Kclinic({"standing-orders", "list", "--db", db});
    EXPECT_EQ(listed.exit_status, 0) << listed.err;
    EXPECT_EQ(listed.out.rfind("version 1  signed ", 0), 0U) << listed.out;
    EXPECT_NE(listed.out.find("by director@clinic.example  1 entries  (clinic protocol 2026)"), std::string::npos)
        << listed.out;
    const ProcessRun shown = Kclinic({"standing-orders", "show", "--db", db});
    EXPECT_EQ(shown.exit_status, 0) << shown.err;
    EXPECT_NE(shown.out.find("  1. ondansetron 4 mg iv|odt for nausea; at most 2 per session, 30 min apart\n"),
              std::string::npos)
        << shown.out;
    EXPECT_EQ(ExpectJson({"standing-orders", "show", "--version", "1", "--db", db, "--json"})["entries"].size(), 1U);
    ExpectBadInput({"standing-orders", "show", "--version", "2", "--db", db}, "--version: no version 2");
    ExpectBadInput({"standing-orders", "show", "--at", "2020-01-01T00:00:00Z", "--db", db}, ": at: ");
    ExpectBadInput({"standing-orders", "show", "--at", "yesterday", "--db", db}, "--at");
    std::filesystem::remove_all(folder);
}

// The user and token commands against a real SQLite file; passwords come on stdin, one line.
TEST(CliTest, UserAndTokenCommandsOnSqlite) {
    char folder_template[] = "/tmp/kclinic_cli_XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    const std::string folder = folder_template;
    const std::string path = folder + "/clinic.db";
    const std::string db = "sqlite:" + path;
    const std::string password = "tulip-granite-lantern";

    Json admin = ExpectJson(
        {"user", "add", "Admin@Clinic.Example", "--role", "admin", "--name", "Ada Admin", "--db", db, "--json"},
        password + "\n");
    EXPECT_EQ(admin["email"], "admin@clinic.example");
    EXPECT_EQ(admin["role"], "admin");
    EXPECT_EQ(admin["display_name"], "Ada Admin");
    EXPECT_EQ(admin["disabled"], false);
    EXPECT_FALSE(admin.contains("password_hash"));
    EXPECT_EQ(admin["created_by"].get<std::string>().rfind("cli:", 0), 0u) << admin.dump();

    Json nurse =
        ExpectJson({"user", "add", "nurse@clinic.example", "--role", "nurse", "--db", db, "--json"}, password + "\r\n");
    EXPECT_EQ(nurse["role"], "nurse");

    ExpectBadInput({"user", "add", "ADMIN@clinic.example", "--role", "nurse", "--db", db},
                   "kclinic user add: email: a user with email admin@clinic.example already exists", password + "\n");
    ExpectBadInput({"user", "add", "new@clinic.example", "--role", "nurse", "--db", db},
                   "kclinic user add: password: is required: one line on standard input");
    ExpectBadInput({"user", "add", "new@clinic.example", "--role", "nurse", "--db", db},
                   "kclinic user add: password: must have at least 15 characters", "short\n");
    ExpectBadInput({"user", "add", "new@clinic.example", "--role", "wizard", "--db", db},
                   "kclinic user add: --role: must be one of admin, prescriber, nurse, therapist, front_desk, patient",
                   password + "\n");
    ExpectBadInput({"user", "add", "new@home.example", "--role", "patient", "--db", db},
                   "kclinic user add: patient_id: is required for role patient", password + "\n");
    ExpectBadInput({"user", "add", "not-an-email", "--role", "nurse", "--db", db},
                   "kclinic user add: email:", password + "\n");

    Json patient = ExpectJson({"patient", "add", "--mrn", "MRN-1", "--given-name", "Ada", "--family-name", "Example",
                               "--birth-date", "1980-03-14", "--sex", "female", "--db", db, "--json"});
    const std::int64_t patient_id = patient["id"].get<std::int64_t>();
    Json portal = ExpectJson({"user", "add", "ada@home.example", "--role", "patient", "--patient-id",
                              std::to_string(patient_id), "--db", db, "--json"},
                             password + "\n");
    EXPECT_EQ(portal["patient_id"], patient_id);

    Json listed = ExpectJson({"user", "list", "--db", db, "--json"});
    ASSERT_EQ(listed["users"].size(), 3u);
    EXPECT_EQ(listed["users"][1]["email"], "nurse@clinic.example");
    Json page = ExpectJson({"user", "list", "--limit", "2", "--db", db, "--json"});
    EXPECT_EQ(page["users"].size(), 2u);
    EXPECT_EQ(page["next_after"], listed["users"][1]["id"]);

    // A token is printed once; listing shows its record, never the token.
    Json token =
        ExpectJson({"token", "create", "NURSE@clinic.example", "--name", "monitor bridge", "--db", db, "--json"});
    const std::string secret = token["token"].get<std::string>();
    EXPECT_EQ(secret.size(), 43u);
    EXPECT_EQ(token["name"], "monitor bridge");
    ExpectBadInput({"token", "create", "nurse@clinic.example", "--name", "monitor bridge", "--db", db},
                   "kclinic token create: name: the user already has a live API token named \"monitor bridge\"");
    Json tokens = ExpectJson({"token", "list", "nurse@clinic.example", "--db", db, "--json"});
    ASSERT_EQ(tokens["tokens"].size(), 1u);
    EXPECT_EQ(tokens.dump().find(secret), std::string::npos);
    const std::string token_id = std::to_string(token["id"].get<std::int64_t>());
    Json revoked = ExpectJson({"token", "revoke", token_id, "--db", db, "--json"});
    EXPECT_TRUE(revoked.contains("revoked_at"));
    ExpectBadInput({"token", "revoke", token_id, "--db", db},
                   "kclinic token revoke: token_id: API token " + token_id + " is already revoked");

    ProcessRun text = Kclinic({"token", "create", "nurse@clinic.example", "--name", "reporting", "--db", db});
    ASSERT_EQ(text.exit_status, 0) << text.err;
    EXPECT_NE(text.out.find("shown only this once"), std::string::npos) << text.out;

    // A calendar feed's URL is printed once; a second one replaces it; a revoked feed cannot be revoked again.
    Json feed = ExpectJson({"calendar-feed", "create", "NURSE@clinic.example", "--base-url",
                            "https://kclinic.clinic.example/", "--db", db, "--json"});
    const std::string feed_url = feed["url"].get<std::string>();
    const std::string feed_prefix = "https://kclinic.clinic.example/calendar/";
    ASSERT_TRUE(feed_url.starts_with(feed_prefix)) << feed_url;
    EXPECT_EQ(feed_url.size(), feed_prefix.size() + 43 + 4) << feed_url;  // the token and ".ics"
    const std::string feed_secret = feed_url.substr(feed_prefix.size(), 43);
    ProcessRun feed_text = Kclinic({"calendar-feed", "create", "nurse@clinic.example", "--db", db});
    ASSERT_EQ(feed_text.exit_status, 0) << feed_text.err;
    EXPECT_NE(feed_text.out.find("shown only this once"), std::string::npos) << feed_text.out;
    EXPECT_NE(feed_text.out.find("\n/calendar/"), std::string::npos) << feed_text.out;  // no --base-url: the path
    Json feed_revoked = ExpectJson({"calendar-feed", "revoke", "nurse@clinic.example", "--db", db, "--json"});
    EXPECT_TRUE(feed_revoked.contains("revoked_at"));
    EXPECT_FALSE(feed_revoked.contains("url"));
    ExpectBadInput({"calendar-feed", "revoke", "nurse@clinic.example", "--db", db},
                   "kclinic calendar-feed revoke: calendar_feed: nurse@clinic.example has no calendar feed");
    ExpectBadInput({"calendar-feed", "create", "ada@home.example", "--db", db},
                   "kclinic calendar-feed create: email: ada@home.example is a patient");

    Json set =
        ExpectJson({"user", "set-password", "nurse@clinic.example", "--db", db, "--json"}, "another-long-passphrase\n");
    EXPECT_EQ(set["email"], "nurse@clinic.example");
    Json unlocked = ExpectJson({"user", "unlock", "nurse@clinic.example", "--db", db, "--json"});
    EXPECT_EQ(unlocked["failed_logins"], 0);
    Json disabled = ExpectJson({"user", "disable", "nurse@clinic.example", "--db", db, "--json"});
    EXPECT_EQ(disabled["disabled"], true);
    ExpectBadInput({"user", "disable", "nurse@clinic.example", "--db", db},
                   "kclinic user disable: email: nurse@clinic.example is already disabled");
    ExpectBadInput({"user", "unlock", "nobody@clinic.example", "--db", db},
                   "kclinic user unlock: email: no user with email nobody@clinic.example");

    // Neither a password nor a token is anywhere in the database.
    const std::string bytes = DatabaseBytes(path);
    ASSERT_FALSE(bytes.empty());
    for (const std::string& never : {password, std::string("another-long-passphrase"), secret, feed_secret}) {
        EXPECT_EQ(bytes.find(never), std::string::npos) << never;
    }
    std::filesystem::remove_all(folder);
}

}  // namespace
