#include "cli/record_commands.hpp"
#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "adapters/json/ndjson_export.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/patient_records.hpp"
#include "app/record_export.hpp"
#include "base/text.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

// The CLI acts as the logged-in operating-system user; the audit log records who ran it.
app::Actor CliActor() {
    return app::Actor{"cli:" + OperatingSystemUser(), "cli"};
}

// ----- migrate -------------------------------------------------------------------------------------------------

Result<CommandOutput> RunMigrate(const DatabaseOptions& options) {
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    const std::string backend(store->Backend());
    return CommandOutput{json::Json{{"database", backend}, {"migrated", true}},
                         "the " + backend + " database is at the current schema\n"};
}

// ----- backup | restore ---------------------------------------------------------------------------------------

struct BackupOptions {
    DatabaseOptions database;
    std::string to;
};

struct RestoreOptions {
    DatabaseOptions database;
    std::string from;
    bool replace = false;
};

Result<CommandOutput> RunBackup(const BackupOptions& options) {
    RETURN_IF_ERROR(adapters::storage::BackupDatabase(options.database.url, options.to));
    return CommandOutput{json::Json{{"backup", options.to}}, "backed up to " + options.to + "\n"};
}

Result<CommandOutput> RunRestore(const RestoreOptions& options) {
    RETURN_IF_ERROR(adapters::storage::RestoreDatabase(options.from, options.database.url, options.replace));
    return CommandOutput{json::Json{{"restored", options.from}, {"database", options.database.url}},
                         "restored " + options.from + " into " + options.database.url + "\n"};
}

// ----- export ----------------------------------------------------------------------------------------------------

struct ExportOptions {
    DatabaseOptions database;
    std::string format = "ndjson";
    std::string out = "-";
};

Result<app::ExportSummary> ExportTo(app::Store& store, std::ostream& out) {
    adapters::SystemClock clock;
    json::NdjsonExportSink sink(out, store.Backend(), clock.Now());
    Result<app::ExportSummary> summary = app::RecordExport(store, clock).Export(CliActor(), sink);
    out.flush();
    if (summary.ok() && !out) {
        return Error{ErrorCode::kUnavailable, "--out", "could not write the export"};
    }
    return summary;
}

// Writes to FILE.partial and renames it to FILE only once the whole export is written, so a FILE that exists is
// always complete; an existing FILE is never overwritten.
Result<app::ExportSummary> ExportToFile(app::Store& store, const std::string& path) {
    std::error_code error;
    if (std::filesystem::exists(path, error)) {
        return Error{ErrorCode::kConflict, "--out", path + " already exists; it is never overwritten"};
    }
    const std::string partial = path + ".partial";
    Result<app::ExportSummary> summary = Error{ErrorCode::kUnavailable, "--out", "cannot create " + partial};
    {
        std::ofstream file(partial, std::ios::binary | std::ios::trunc);
        if (file) {
            summary = ExportTo(store, file);
        }
    }
    if (summary.ok()) {
        std::filesystem::rename(partial, path, error);
        if (error) {
            summary = Error{ErrorCode::kUnavailable, "--out", "cannot rename " + partial + ": " + error.message()};
        }
    }
    if (!summary.ok()) {
        std::filesystem::remove(partial, error);
    }
    return summary;
}

Result<CommandOutput> RunExport(const ExportOptions& options) {
    if (options.format != "ndjson") {
        return InvalidArgument("--format", "must be ndjson (got \"" + options.format + "\")");
    }
    const bool to_stdout = options.out == "-";
    if (to_stdout && options.database.json) {
        return InvalidArgument("--json", "needs --out FILE: without it stdout carries the export itself");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.database.url));
    ASSIGN_OR_RETURN(app::ExportSummary summary,
                     to_stdout ? ExportTo(*store, std::cout) : ExportToFile(*store, options.out));
    const std::string done = "exported " + std::to_string(summary.patients) + " patients and " +
                             std::to_string(summary.audit_entries) + " audit entries" +
                             (to_stdout ? std::string() : " to " + options.out) + "\n";
    if (to_stdout) {
        // stdout carries the export itself; the summary goes to stderr so a pipe receives only NDJSON.
        std::cerr << done;
        return CommandOutput{json::Json::object(), ""};  // --json is refused above, so nothing more reaches stdout
    }
    return CommandOutput{json::Json{{"out", options.out},
                                    {"users", summary.users},
                                    {"patients", summary.patients},
                                    {"audit_entries", summary.audit_entries}},
                         done};
}

// ----- patient add | list | show -------------------------------------------------------------------------------

struct PatientAddOptions {
    DatabaseOptions database;
    std::string mrn;
    std::string given_name;
    std::string family_name;
    std::string birth_date;
    std::string sex;
    std::string clinician;
    std::vector<std::string> address_lines;
};

struct PatientListOptions {
    DatabaseOptions database;
    std::int64_t after = 0;
    int limit = 50;
    std::optional<std::string> mrn;  // a search (PatientRecords::SearchPatients) instead of the whole list
    std::optional<std::string> name;
};

struct PatientShowOptions {
    DatabaseOptions database;
    std::int64_t id = 0;
};

std::string PatientLine(const app::Patient& patient) {
    return "#" + std::to_string(patient.id.value) + "  " + patient.mrn + "  " + patient.family_name + ", " +
           patient.given_name + "  born " + FormatDate(patient.birth_date) + "  " +
           std::string(clinical::SexName(patient.sex)) + "\n";
}

// Opens the store and runs `use` with the patient use cases.
template <typename Use>
Result<CommandOutput> WithRecords(const DatabaseOptions& options, Use use) {
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    adapters::SystemClock clock;
    const adapters::OsTimeZones zones;
    app::PatientRecords records(*store, clock, zones);
    return use(records);
}

// ----- audit verify ----------------------------------------------------------------------------------------------

// Exit status 0 when the chain holds; a broken chain is an error (exit 2) naming its first broken entry, so a
// scheduled check fails loudly. The head's hash is printed for keeping elsewhere: a chain rewritten from some
// entry on by someone holding the database no longer ends in a hash kept before (docs/security.md "Audit").
Result<CommandOutput> RunAuditVerify(const DatabaseOptions& options) {
    return WithRecords(options, [&](app::PatientRecords& records) -> Result<CommandOutput> {
        ASSIGN_OR_RETURN(const app::AuditChainCheck check, records.CheckAuditChain(CliActor()));
        if (check.first_broken_id) {
            return Error{
                ErrorCode::kFailedPrecondition, "audit_log",
                "the audit chain is broken at entry " + std::to_string(*check.first_broken_id) + ": " + check.problem};
        }
        return CommandOutput{json::Json{{"intact", true},
                                        {"chained_entries", check.chained_entries},
                                        {"entries_before_chain", check.entries_before_chain},
                                        {"head_hash", check.head_hash}},
                             "the audit chain holds: " + std::to_string(check.chained_entries) + " entries, head " +
                                 (check.head_hash.empty() ? std::string("(none yet)") : check.head_hash) +
                                 (check.entries_before_chain > 0 ? "; " + std::to_string(check.entries_before_chain) +
                                                                       " earlier entries predate the chain"
                                                                 : std::string()) +
                                 "\n"};
    });
}

// The address as the record keeps it: its lines separated by newlines.
std::string AddressOf(const std::vector<std::string>& lines) {
    std::string address;
    for (const std::string& line : lines) {
        address += (address.empty() ? "" : "\n") + line;
    }
    return address;
}

Result<CommandOutput> RunPatientAdd(const PatientAddOptions& options) {
    const std::optional<std::chrono::sys_days> birth_date = ParseDate(options.birth_date);
    if (!birth_date) {
        return InvalidArgument("--birth-date",
                               "expected a calendar date YYYY-MM-DD (got \"" + options.birth_date + "\")");
    }
    Result<clinical::Sex> sex = clinical::ParseSex(options.sex);
    if (!sex.ok()) {
        return InvalidArgument("--sex", sex.error().message);
    }
    return WithRecords(options.database, [&](app::PatientRecords& records) -> Result<CommandOutput> {
        ASSIGN_OR_RETURN(app::Patient patient,
                         records.RegisterPatient(
                             CliActor(), app::NewPatient{options.mrn, options.given_name, options.family_name,
                                                         *birth_date, *sex, options.clinician,
                                                         AddressOf(options.address_lines)}));
        return CommandOutput{json::ToJson(patient), "registered " + PatientLine(patient)};
    });
}

Result<CommandOutput> RunPatientList(const PatientListOptions& options) {
    return WithRecords(options.database, [&](app::PatientRecords& records) -> Result<CommandOutput> {
        const app::PatientId after{options.after};
        ASSIGN_OR_RETURN(std::vector<app::Patient> patients,
                         options.mrn || options.name
                             ? records.SearchPatients(CliActor(), app::PatientSearch{options.mrn, options.name}, after,
                                                      options.limit)
                             : records.ListPatients(CliActor(), after, options.limit));
        json::Json list = json::Json::array();
        std::string text;
        for (const app::Patient& patient : patients) {
            list.push_back(json::ToJson(patient));
            text += PatientLine(patient);
        }
        json::Json output{{"patients", std::move(list)}};
        if (static_cast<int>(patients.size()) == options.limit) {
            output["next_after"] = patients.back().id.value;
            text += "(more: --after " + std::to_string(patients.back().id.value) + ")\n";
        }
        return CommandOutput{std::move(output), text.empty() ? "no patients\n" : text};
    });
}

// A late entry says so in the text output, with when it was recorded (the JSON carries late_entry and recorded_at).
std::string LateEntryMark(bool late_entry, app::TimePoint recorded_at) {
    return late_entry ? "  (late entry, recorded " + json::FormatTime(recorded_at) + ")" : "";
}

// A record marked entered in error says so in the text output, with the reason (the JSON carries entered_in_error).
std::string EnteredInErrorMark(const std::optional<app::EnteredInError>& mark) {
    return mark ? "  (entered in error: " + mark->reason + ")" : "";
}

Result<CommandOutput> RunPatientShow(const PatientShowOptions& options) {
    return WithRecords(options.database, [&](app::PatientRecords& records) -> Result<CommandOutput> {
        const app::Actor actor = CliActor();
        ASSIGN_OR_RETURN(app::Patient patient, records.GetPatient(actor, app::PatientId{options.id}));
        ASSIGN_OR_RETURN(std::vector<app::Assessment> assessments, records.ListAssessments(actor, patient.id));
        ASSIGN_OR_RETURN(std::vector<app::VitalSign> vitals,
                         records.ListVitalSigns(actor, patient.id, std::nullopt, 20));
        json::Json output = json::ToJson(patient);
        std::ostringstream text;
        text << PatientLine(patient);
        json::Json assessment_list = json::Json::array();
        for (const app::Assessment& assessment : assessments) {
            assessment_list.push_back(json::ToJson(assessment));
            text << "  " << json::FormatTime(assessment.assessed_at) << "  "
                 << clinical::InstrumentName(assessment.instrument) << " " << assessment.total << " ("
                 << assessment.band << ")" << LateEntryMark(assessment.late_entry, assessment.recorded_at)
                 << EnteredInErrorMark(assessment.entered_in_error) << "\n";
        }
        json::Json vital_list = json::Json::array();
        for (const app::VitalSign& vital : vitals) {
            vital_list.push_back(json::ToJson(vital));
            // A blood pressure reads as one reading, systolic/diastolic.
            const std::string value = vital.diastolic ? FormatNumber(vital.value) + "/" + FormatNumber(*vital.diastolic)
                                                      : FormatNumber(vital.value);
            text << "  " << json::FormatTime(vital.observed_at) << "  " << vital.loinc << " " << value << " "
                 << vital.unit << LateEntryMark(vital.late_entry, vital.recorded_at)
                 << (vital.entered_in_error ? "  (entered in error: " + vital.entered_in_error->reason + ")" : "")
                 << "\n";
        }
        output["assessments"] = std::move(assessment_list);
        output["recent_vital_signs"] = std::move(vital_list);
        return CommandOutput{std::move(output), text.str()};
    });
}

}  // namespace

void RegisterRecordCommands(CLI::App& app, std::vector<Command>& commands) {
    auto migrate = std::make_shared<DatabaseOptions>();
    CLI::App* migrate_command =
        app.add_subcommand("migrate", "Create the database or bring its schema up to date (also done at start-up)");
    AddDatabaseOptions(*migrate_command, *migrate);
    commands.push_back(Command{migrate_command, &migrate->json, [migrate] { return RunMigrate(*migrate); }});

    auto backup = std::make_shared<BackupOptions>();
    CLI::App* backup_command = app.add_subcommand(
        "backup", "Online, consistent copy of a SQLite database into a new file (PostgreSQL: use pg_dump)");
    backup_command->add_option("--to", backup->to, "The backup file to create (never overwritten)")->required();
    AddDatabaseOptions(*backup_command, backup->database);
    commands.push_back(Command{backup_command, &backup->database.json, [backup] { return RunBackup(*backup); }});

    auto restore = std::make_shared<RestoreOptions>();
    CLI::App* restore_command =
        app.add_subcommand("restore", "Restore a SQLite backup after checking it; stop kclinic on that database first");
    restore_command->add_option("--from", restore->from, "The backup file")->required();
    restore_command->add_flag("--replace", restore->replace, "Replace an existing database (refused otherwise)");
    AddDatabaseOptions(*restore_command, restore->database);
    commands.push_back(Command{restore_command, &restore->database.json, [restore] { return RunRestore(*restore); }});

    auto exporting = std::make_shared<ExportOptions>();
    CLI::App* export_command = app.add_subcommand(
        "export", "Write the whole clinic record (settings, every patient's record, the audit log) as NDJSON");
    export_command->add_option("--format", exporting->format, "ndjson (one JSON object per line)")->required();
    export_command->add_option("--out", exporting->out,
                               "File to create (never overwritten; written as FILE.partial until complete); "
                               "default - for stdout");
    AddDatabaseOptions(*export_command, exporting->database);
    commands.push_back(
        Command{export_command, &exporting->database.json, [exporting] { return RunExport(*exporting); }});

    CLI::App* audit = app.add_subcommand("audit", "Check the audit log");
    audit->require_subcommand(1);
    auto verify = std::make_shared<DatabaseOptions>();
    CLI::App* verify_command = audit->add_subcommand(
        "verify", "Check the audit log's hash chain end to end; exit 2 naming the first broken entry");
    AddDatabaseOptions(*verify_command, *verify);
    commands.push_back(Command{verify_command, &verify->json, [verify] { return RunAuditVerify(*verify); }});

    CLI::App* patient = app.add_subcommand("patient", "Register, list and show patients");
    patient->require_subcommand(1);

    auto add = std::make_shared<PatientAddOptions>();
    CLI::App* add_command = patient->add_subcommand("add", "Register a patient");
    add_command->add_option("--mrn", add->mrn, "Medical record number, unique in the clinic")->required();
    add_command->add_option("--given-name", add->given_name, "Given name")->required();
    add_command->add_option("--family-name", add->family_name, "Family name")->required();
    add_command->add_option("--birth-date", add->birth_date, "YYYY-MM-DD")->required();
    add_command->add_option("--sex", add->sex, clinical::kSexNames.List(" | "))->required();
    add_command->add_option("--clinician", add->clinician,
                            "The named clinician's email (a prescriber or nurse), to whom the patient's alerts go");
    add_command
        ->add_option("--address-line", add->address_lines,
                     "One line of the postal address (repeat it per line, in order); the dispensing log names it")
        ->allow_extra_args(false);
    AddDatabaseOptions(*add_command, add->database);
    commands.push_back(Command{add_command, &add->database.json, [add] { return RunPatientAdd(*add); }});

    auto list = std::make_shared<PatientListOptions>();
    CLI::App* list_command =
        patient->add_subcommand("list", "List patients in registration order, or find them by MRN or name");
    list_command->add_option("--after", list->after, "Only patients with an id above this (paging)");
    list_command->add_option("--limit", list->limit, "At most this many (1-500, default 50)");
    list_command->add_option("--mrn", list->mrn, "Only the patient with exactly this MRN");
    list_command->add_option("--name", list->name,
                             "Only patients whose given or family name starts with this (A-Z in any case), or "
                             "\"family, given\"");
    AddDatabaseOptions(*list_command, list->database);
    commands.push_back(Command{list_command, &list->database.json, [list] { return RunPatientList(*list); }});

    auto show = std::make_shared<PatientShowOptions>();
    CLI::App* show_command = patient->add_subcommand("show", "Show one patient with assessments and recent vitals");
    show_command->add_option("ID", show->id, "Patient id")->required();
    AddDatabaseOptions(*show_command, show->database);
    commands.push_back(Command{show_command, &show->database.json, [show] { return RunPatientShow(*show); }});
}

}  // namespace kclinic::cli
