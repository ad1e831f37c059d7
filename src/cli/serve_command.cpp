#include "cli/serve_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <sys/statvfs.h>

#include "adapters/api/api.hpp"
#include "adapters/api/store_metrics.hpp"
#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/clock/test_clock.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/hl7/feed/ingest_committer.hpp"
#include "adapters/hl7/feed/monitor_feed.hpp"
#include "adapters/hl7/mllp/listener.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/operational_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/web_bundle.hpp"
#include "adapters/http/web_front_end.hpp"
#include "adapters/json/clinical_json.hpp"
#include "adapters/log/structured_log.hpp"
#include "adapters/mail/outbox_sender.hpp"
#include "adapters/mail/smtp_client.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/clinic_use_cases.hpp"
#include "app/demo_clinic.hpp"
#include "app/device_feed_batch.hpp"
#include "app/ports/event_bus.hpp"
#include "app/record_names.hpp"
#include "app/test_clock_moves.hpp"
#include "cli/demo_feed.hpp"
#include "cli/live_relay.hpp"

namespace kclinic::cli {
namespace {

namespace http = adapters::http;

struct ServeOptions {
    std::string url = DefaultDatabaseUrl();
    std::string listen = "127.0.0.1:8080";
    int io_threads = 1;
    // Handlers mostly wait on the database, and a durable write waits for its group commit (SQLite) or WAL flush
    // (PostgreSQL): the more handlers wait together, the more writes share one fsync. Measured with bench/http/run
    // (docs/benchmarks.md): 64 workers write about 2.4 times as fast as 4 on 2 cores. Idle threads cost only memory.
    int workers = 64;
    bool demo = false;
    double demo_feed_interval_s = 5;
    // The outbox's SMTP relay (docs/cli.md "Reminders by email"); empty: no sender loop, reminders wait in the outbox.
    std::string smtp;       // HOST:PORT
    std::string smtp_from;  // the From of every message; required with smtp
    std::string smtp_tls = "starttls";
    bool smtp_verify_certificate = true;
    std::string smtp_ca_file;
    std::string smtp_user;  // the password comes from $KCLINIC_SMTP_PASSWORD, never a flag or file
    int smtp_timeout_s = 60;
    std::string smtp_helo = "localhost";
    std::string web_root;  // serve the web front end from this folder instead of the embedded one; empty: embedded
    // The bedside monitors' HL7 v2 feed over MLLP (docs/hl7.md); empty: no listener.
    std::string mllp;  // HOST:PORT
    int mllp_max_message_kib = 1024;
    // How long start-up waits for a database that does not answer yet (a host booting, PostgreSQL restarting) before
    // it gives up; 0: not at all.
    int database_wait_s = 60;
    std::string log_level = "info";  // adapters/log: debug, info, warning, error or off
    // TLS on the listener (docs/security.md "Transport"): both files or neither; reread on SIGHUP.
    std::string tls_cert;  // PEM: the certificate, then its intermediates
    std::string tls_key;   // PEM: its private key
    // The reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (docs/operations.md); empty: none.
    std::string trusted_proxy;
    std::string config;  // a JSON file of the options above; empty: none
    bool json = false;   // serve has no --json: its one line of output is for people and for tests alike
    // The test clock (docs/cli.md "The test clock"): a flag only, never a --config key, so that no configuration file
    // copied from a test setup can switch it on.
    bool test_clock = false;
};

// A monitor's ORU^R01 is a few kilobytes; a waveform-carrying one may be hundreds. The upper bound keeps one frame
// from holding more than 16 MiB of a connection's memory.
constexpr int kMinMllpMessageKib = 4;
constexpr int kMaxMllpMessageKib = 16 * 1024;
constexpr int kMaxDatabaseWaitS = 3600;

// --config FILE: a JSON object with any of these keys, each the flag of the same name (underscores for dashes). A
// flag given on the command line wins over the file; the file wins over the defaults ($KCLINIC_DB included).
constexpr std::string_view kConfigKeys =
    "db, listen, io_threads, workers, demo, demo_feed_interval, smtp, smtp_from, smtp_tls, smtp_verify_certificate, "
    "smtp_ca_file, smtp_user, smtp_timeout, smtp_helo, web_root, mllp, mllp_max_message_kib, log_level, tls_cert, "
    "tls_key, trusted_proxy, database_wait";

Status ApplyConfigFile(const CLI::App& serve, ServeOptions& options) {
    using adapters::json::Json;
    const std::string& path = options.config;
    const auto refuse = [&path](const std::string& message) {
        return InvalidArgument("--config", path + ": " + message);
    };
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) {
        return refuse("cannot be read");
    }
    const Json config = Json::parse(text.str(), nullptr, false);
    if (config.is_discarded()) {
        return refuse("is not valid JSON");
    }
    if (!config.is_object()) {
        return refuse(R"(must hold one JSON object, such as {"listen": "127.0.0.1:8080", "demo": true})");
    }
    const auto given = [&serve](const std::string& key) {
        std::string flag = "--" + key;
        std::replace(flag.begin(), flag.end(), '_', '-');
        return serve.count(flag) > 0;
    };
    const auto integer = [&](const std::string& key, const Json& value, int min, int max) -> Result<int> {
        if (!value.is_number_integer() || value.get<std::int64_t>() < min || value.get<std::int64_t>() > max) {
            return refuse("key \"" + key + "\" must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + " (got " + value.dump() + ")");
        }
        return value.get<int>();
    };
    for (const auto& [key, value] : config.items()) {
        const std::map<std::string, std::string*> strings = {{"db", &options.url},
                                                             {"listen", &options.listen},
                                                             {"smtp", &options.smtp},
                                                             {"smtp_from", &options.smtp_from},
                                                             {"smtp_tls", &options.smtp_tls},
                                                             {"smtp_ca_file", &options.smtp_ca_file},
                                                             {"smtp_user", &options.smtp_user},
                                                             {"smtp_helo", &options.smtp_helo},
                                                             {"web_root", &options.web_root},
                                                             {"mllp", &options.mllp},
                                                             {"log_level", &options.log_level},
                                                             {"tls_cert", &options.tls_cert},
                                                             {"tls_key", &options.tls_key},
                                                             {"trusted_proxy", &options.trusted_proxy}};
        if (const auto string = strings.find(key); string != strings.end()) {
            if (!value.is_string()) {
                return refuse("key \"" + key + "\" must be a string (got " + value.dump() + ")");
            }
            if (!given(key)) {
                *string->second = value.get<std::string>();
            }
        } else if (key == "smtp_timeout") {
            ASSIGN_OR_RETURN(int seconds, integer(key, value, 1, 600));
            if (!given(key)) {
                options.smtp_timeout_s = seconds;
            }
        } else if (key == "database_wait") {
            ASSIGN_OR_RETURN(int seconds, integer(key, value, 0, kMaxDatabaseWaitS));
            if (!given(key)) {
                options.database_wait_s = seconds;
            }
        } else if (key == "mllp_max_message_kib") {
            ASSIGN_OR_RETURN(int kib, integer(key, value, kMinMllpMessageKib, kMaxMllpMessageKib));
            if (!given(key)) {
                options.mllp_max_message_kib = kib;
            }
        } else if (key == "smtp_verify_certificate") {
            if (!value.is_boolean()) {
                return refuse("key \"smtp_verify_certificate\" must be true or false (got " + value.dump() + ")");
            }
            options.smtp_verify_certificate = value.get<bool>();  // no flag: only the file sets it
        } else if (key == "io_threads" || key == "workers") {
            ASSIGN_OR_RETURN(int threads,
                             key == "io_threads" ? integer(key, value, 1, 64) : integer(key, value, 1, 1024));
            if (!given(key)) {
                (key == "io_threads" ? options.io_threads : options.workers) = threads;
            }
        } else if (key == "demo") {
            if (!value.is_boolean()) {
                return refuse("key \"demo\" must be true or false (got " + value.dump() + ")");
            }
            if (!given(key)) {
                options.demo = value.get<bool>();
            }
        } else if (key == "demo_feed_interval") {
            if (!value.is_number() || value.get<double>() < 0.1 || value.get<double>() > 3600) {
                return refuse("key \"demo_feed_interval\" must be a number of seconds from 0.1 to 3600 (got " +
                              value.dump() + ")");
            }
            if (!given(key)) {
                options.demo_feed_interval_s = value.get<double>();
            }
        } else {
            return refuse("unknown key \"" + key + "\" (known: " + std::string(kConfigKeys) + ")");
        }
    }
    return Status::Ok();
}

// --smtp HOST:PORT and the --smtp-* options as the SMTP client's settings. Errors: kInvalidArgument naming the flag.
Result<adapters::mail::SmtpSettings> SmtpSettingsOf(const ServeOptions& options) {
    adapters::mail::SmtpSettings settings;
    const std::size_t colon = options.smtp.rfind(':');
    const std::string port = colon == std::string::npos ? "" : options.smtp.substr(colon + 1);
    settings.host = options.smtp.substr(0, colon);
    if (settings.host.size() > 2 && settings.host.front() == '[' && settings.host.back() == ']') {
        settings.host = settings.host.substr(1, settings.host.size() - 2);
    }
    if (settings.host.empty() || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 || std::stoi(port) > 65535) {
        return InvalidArgument(
            "--smtp",
            "expected HOST:PORT of the SMTP relay, such as mail.clinic.example:587 (got \"" + options.smtp + "\")");
    }
    settings.port = static_cast<std::uint16_t>(std::stoi(port));
    const bool printable =
        std::all_of(options.smtp_from.begin(), options.smtp_from.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
    if (options.smtp_from.find('@') == std::string::npos || !printable) {
        return InvalidArgument("--smtp-from",
                               "expected the sender's address, such as reminders@clinic.example or "
                               "\"Lakeside Clinic <reminders@clinic.example>\" (ASCII; got \"" +
                                   options.smtp_from + "\")");
    }
    settings.from = options.smtp_from;
    if (options.smtp_tls == "starttls") {
        settings.tls = adapters::mail::SmtpTls::kStartTlsWhenOffered;
    } else if (options.smtp_tls == "required") {
        settings.tls = adapters::mail::SmtpTls::kRequireStartTls;
    } else if (options.smtp_tls == "off") {
        settings.tls = adapters::mail::SmtpTls::kOff;
    } else {
        return InvalidArgument("--smtp-tls",
                               "must be one of starttls, required, off; got \"" + options.smtp_tls + "\"");
    }
    settings.verify_certificate = options.smtp_verify_certificate;
    settings.ca_file = options.smtp_ca_file;
    settings.username = options.smtp_user;
    if (!settings.username.empty()) {
        const char* password = std::getenv("KCLINIC_SMTP_PASSWORD");
        if (password == nullptr) {
            return InvalidArgument("--smtp-user", "needs the password in $KCLINIC_SMTP_PASSWORD");
        }
        settings.password = password;
    }
    settings.timeout = std::chrono::seconds{options.smtp_timeout_s};
    settings.helo_name = options.smtp_helo;
    return settings;
}

// The database as the start-up line shows it: a PostgreSQL URL without its password (it may be in a log), a
// key=value connection string not at all.
std::string DisplayedDatabase(const std::string& url) {
    if (!adapters::storage::SqlitePath(url).empty()) {
        return url;
    }
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        return "postgres";
    }
    const std::size_t authority_start = scheme_end + 3;
    std::string shown = url.substr(0, url.find('?'));  // query parameters may carry a password too
    const std::size_t at = shown.rfind('@', shown.find('/', authority_start));
    if (at != std::string::npos && at > authority_start) {
        const std::size_t password = shown.find(':', authority_start);
        if (password != std::string::npos && password < at) {
            shown.replace(password + 1, at - password - 1, "***");
        }
    }
    return shown;
}

// Readiness: the database answers a trivial read. Loading the clinic settings is the cheapest query the Store port
// has that touches no patient data (so it needs no audit entry) and reaches the database on both backends.
// Below this much free space where a SQLite database lives, /healthz calls the disk full: SQLite then still reads and
// reuses the pages it owns, but a write that needs a new page fails, and so does a chart read (its audit entry is a
// write). One MiB is a few hundred pages, less than a busy minute's writes (docs/benchmarks.md, the soak).
constexpr std::uint64_t kLeastFreeDiskBytes = 1 << 20;

// kUnavailable "disk" when the file system holding the SQLite file `path` has less than kLeastFreeDiskBytes free for
// this process; Ok when it has more, or when that cannot be told (the database's own answer then decides).
Status DiskHasRoom(const std::string& path) {
    struct statvfs disk {};
    const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
    if (statvfs(folder.c_str(), &disk) != 0) {
        return Status::Ok();
    }
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
    if (free_bytes >= kLeastFreeDiskBytes) {
        return Status::Ok();
    }
    return Error{ErrorCode::kUnavailable, "disk",
                 "the disk holding the SQLite database is full (" + std::to_string(free_bytes / 1024) +
                     " KiB free): writes, and reads that are audited, fail until space is freed"};
}

// /healthz's probe: the database answers a read that writes no audit entry, and a SQLite database's disk has room.
Status DatabaseAnswers(app::Store& store, const std::string& sqlite_path) {
    if (!sqlite_path.empty()) {
        RETURN_IF_ERROR(DiskHasRoom(sqlite_path));
    }
    return store.Read([](app::StoreTransaction& transaction) -> Status {
        auto settings = transaction.LoadSettings();
        return settings.ok() ? Status::Ok() : Status(settings.error());
    });
}

// An ostream whose lines become log lines of `event` at `level`: for the parts that report on a stream (the outbox's
// sender, the demo monitor). One buffer per stream; each of those parts writes from one thread.
class LogLineStream final : public std::ostream {
public:
    LogLineStream(const adapters::log::StructuredLog& log, adapters::log::LogLevel level, std::string event_name)
        : std::ostream(&buffer_), buffer_(log, level, std::move(event_name)) {}

private:
    class LineBuffer final : public std::stringbuf {
    public:
        LineBuffer(const adapters::log::StructuredLog& log, adapters::log::LogLevel level, std::string event_name)
            : log_(log), level_(level), event_(std::move(event_name)) {}

        int sync() override {
            std::string text = str();
            str("");
            std::istringstream lines(text);
            for (std::string line; std::getline(lines, line);) {
                if (!line.empty()) {
                    log_.Write(level_, event_, {{"message", line}});
                }
            }
            return 0;
        }

    private:
        const adapters::log::StructuredLog& log_;
        adapters::log::LogLevel level_;
        std::string event_;
    };
    LineBuffer buffer_;
};

// The access log's line for one answered request: the route's pattern, never its path, query or body.
void LogRequest(const adapters::log::StructuredLog& log, const http::AccessRecord& record) {
    using adapters::log::LogLevel;
    const LogLevel level = record.status >= 500 ? LogLevel::kError : LogLevel::kInfo;
    if (!log.Enabled(level)) {
        return;
    }
    adapters::json::Json fields{{"request_id", record.request_id},
                                {"method", http::MethodName(record.method)},
                                {"route", record.route},
                                {"status", record.status},
                                {"duration_ms", std::round(record.duration.count() * 1e6) / 1e3}};
    if (record.actor_user_id) {
        fields["actor_id"] = *record.actor_user_id;
    }
    if (record.error != nullptr) {
        fields["error_code"] = record.error->code;
        // A server fault's message is the server's own words about the database or a bug, which an operator needs;
        // a refusal's may quote what the client sent, so it stays out.
        if (record.status >= 500) {
            fields["error_message"] = record.error->message;
        }
    }
    log.Write(level, "http.request", fields);
}

// The store on `url`, waiting up to `wait` while the database does not answer (kUnavailable: PostgreSQL not up yet,
// or a lock another process holds), with a warning per attempt; any other error at once. A server started before its
// database, as a host boots, then comes up by itself instead of exiting and relying on a supervisor to retry.
Result<adapters::storage::OpenedStore> OpenStoreWhenItAnswers(const std::string& url,
                                                             adapters::storage::DatabaseMode mode,
                                                             std::chrono::seconds wait,
                                                             const adapters::log::StructuredLog& log) {
    using std::chrono::steady_clock;
    const steady_clock::time_point give_up = steady_clock::now() + wait;
    std::chrono::milliseconds pause{250};
    for (int attempt = 1;; ++attempt) {
        Result<adapters::storage::OpenedStore> opened = adapters::storage::OpenStoreWithMode(url, mode);
        if (opened.ok() || opened.error().code != ErrorCode::kUnavailable) {
            return opened;
        }
        const steady_clock::time_point now = steady_clock::now();
        if (now >= give_up) {
            Error error = opened.error();
            error.message += "; gave up after waiting " + std::to_string(wait.count()) + " s (--database-wait)";
            return error;
        }
        pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(give_up - now));
        log.Write(adapters::log::LogLevel::kWarning, "database.wait",
                  {{"attempt", attempt},
                   {"database", DisplayedDatabase(url)},
                   {"message", opened.error().ToString()},
                   {"retry_in_ms", pause.count()}});
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds{5000});
    }
}

// What the server runs with, once at start-up: every option but secrets (the database password is masked).
void LogStartUp(const adapters::log::StructuredLog& log, const ServeOptions& options, std::string_view backend) {
    adapters::json::Json fields{{"version", KCLINIC_VERSION},
                                {"listen", options.listen},
                                {"database", DisplayedDatabase(options.url)},
                                {"backend", backend},
                                {"io_threads", options.io_threads},
                                {"workers", options.workers},
                                {"mllp", options.mllp},
                                {"mllp_max_message_kib", options.mllp_max_message_kib},
                                {"web_root", options.web_root},
                                {"demo", options.demo},
                                {"test_clock", options.test_clock},
                                {"smtp", options.smtp},
                                {"smtp_tls", options.smtp_tls},
                                {"smtp_user_set", !options.smtp_user.empty()},
                                {"log_level", options.log_level},
                                {"database_wait_s", options.database_wait_s},
                                {"tls_cert", options.tls_cert},
                                {"trusted_proxy", options.trusted_proxy}};
    log.Write(adapters::log::LogLevel::kInfo, "server.start", fields);
}

// What the demo clinic holds and how to log in, after the "serving on" line (which stays first: tests read it).
void PrintDemo(const app::DemoClinicSummary& demo, double feed_interval_s) {
    if (!demo.seeded) {
        std::cout << "demo clinic: the database holds patients already, so nothing was added and no monitor runs "
                     "(start on an empty database for a fresh demo clinic)"
                  << std::endl;
        return;
    }
    std::cout << "demo clinic (synthetic, never real people): " << demo.patients << " patients, " << demo.courses
              << " courses, " << demo.sessions_discharged << " sessions discharged, " << demo.vital_signs
              << " vital signs, " << demo.assessments << " assessments, " << demo.alerts << " alerts, "
              << demo.adverse_events << " adverse events, " << demo.notes << " notes, " << demo.rems_forms_submitted
              << " REMS forms submitted and " << demo.rems_forms_due << " due; " << demo.rooms << " chairs and "
              << demo.appointments << " appointments booked\n";
    std::cout << "demo clinic: the safe holds " << demo.safe_containers << " containers of ketamine and esketamine; "
              << demo.safe_draws << " draws in the last week, " << demo.safe_wastes
              << " remainders wasted before a witness and " << demo.safe_returns << " returned to stock; "
              << demo.safe_counts << " count, " << demo.safe_discrepancies << " discrepancy explained and signed\n";
    if (demo.monitoring_session) {
        std::cout << "demo clinic: session #" << demo.monitoring_session->value << " of patient #"
                  << demo.monitoring_patient->value << " is in monitoring; its vital signs arrive every "
                  << feed_interval_s << " s\n";
    }
    std::cout << "demo clinic: WARNING no role needs a second factor here, so these logins work without an "
                 "authenticator app; a real clinic requires one of admins and prescribers (docs/security.md)\n";
    std::cout << "demo logins (role, email, password):\n";
    for (const app::DemoLogin& login : demo.logins) {
        std::cout << "  " << std::left << std::setw(11) << app::RoleName(login.role) << std::setw(32) << login.email
                  << (login.added ? login.password : "(kept as it was; its password is unchanged)") << "\n";
    }
    std::cout << std::flush;
}

Result<CommandOutput> RunServe(const ServeOptions& options) {
    ASSIGN_OR_RETURN(ListenAddress address, ParseHostPort(options.listen, "--listen", "8080"));
    ASSIGN_OR_RETURN(const adapters::log::LogLevel log_level,
                     adapters::log::kLogLevelNames.ParseField("--log-level", options.log_level));
    const std::shared_ptr<adapters::log::StructuredLog> log = adapters::log::StructuredLog::ToStderr(log_level);
    std::optional<ListenAddress> mllp_address;
    if (!options.mllp.empty()) {
        ASSIGN_OR_RETURN(mllp_address, ParseHostPort(options.mllp, "--mllp", "2575"));
    }
    if (options.tls_cert.empty() != options.tls_key.empty()) {
        return InvalidArgument(options.tls_cert.empty() ? "--tls-cert" : "--tls-key",
                               "--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP");
    }
    std::optional<adapters::mail::SmtpSettings> smtp;
    if (!options.smtp.empty()) {
        ASSIGN_OR_RETURN(smtp, SmtpSettingsOf(options));
    }
    // The web front end: the files built into this binary, or --web-root's folder (checked before anything opens).
    const http::WebBundle bundle = http::BuiltWebBundle();
    http::WebFiles web_files = http::EmbeddedWebFiles(bundle);
    if (!options.web_root.empty()) {
        Result<http::WebFiles> folder = http::DirectoryWebFiles(options.web_root);
        if (!folder.ok()) {
            Error error = folder.error();
            error.field = "--web-root";
            return error;
        }
        web_files = std::move(folder).value();
    }
    // With --test-clock a database that holds no schema yet is created in test mode; any other keeps its own mode.
    ASSIGN_OR_RETURN(adapters::storage::OpenedStore opened,
                     OpenStoreWhenItAnswers(options.url,
                                            options.test_clock ? adapters::storage::DatabaseMode::kTest
                                                               : adapters::storage::DatabaseMode::kProduction,
                                            std::chrono::seconds{options.database_wait_s}, *log));
    if (options.test_clock && opened.mode != adapters::storage::DatabaseMode::kTest) {
        return Error{ErrorCode::kFailedPrecondition, "--test-clock",
                     "refused: the database " + DisplayedDatabase(options.url) +
                         " was not created in test mode, and a clinic's clock is never moved; the test clock runs "
                         "only on a database that `kclinic serve --test-clock` created (start it on a new SQLite "
                         "file or an empty PostgreSQL database)"};
    }
    http::MetricsRegistry metrics;
    adapters::api::TimedStore store(*opened.store, metrics);

    // On a test clock the clinical record, its alerts, the live channel's events, the outbox and the demo feed follow
    // the test clock; logins, browser sessions and login locks stay on the real time (ClinicUseCases).
    const adapters::SystemClock system_clock;
    adapters::TestClock test_clock;
    const app::Clock& clock = options.test_clock ? static_cast<const app::Clock&>(test_clock) : system_clock;
    const adapters::crypto::SodiumCredentials credentials;
    const adapters::OsTimeZones zones;
    app::ClinicUseCases use_cases(store, clock, system_clock, credentials, zones);
    std::optional<app::TestClockMoves> clock_moves;
    if (options.test_clock) {
        clock_moves.emplace(store, test_clock);
    }
    // The live channel's hub is this process's local EventBus. On PostgreSQL the LISTEN/NOTIFY relay wraps it, so
    // that whatever records a change (the API routes, the demo clinic's vitals feed) reaches the live subscribers of
    // every server process on the database; SQLite serves one process, so the hub alone.
    http::LiveHub hub(metrics);
    ASSIGN_OR_RETURN(std::unique_ptr<app::EventBus> relay,
                     OpenLiveRelay(options.url, hub, metrics, [&log](std::string_view line) {
                         log->Write(adapters::log::LogLevel::kWarning, "live_relay", {{"message", line}});
                     }));
    app::EventBus& events = relay ? *relay : static_cast<app::EventBus&>(hub);
    adapters::api::ApiServices api{use_cases, events, clock, clock_moves ? &*clock_moves : nullptr};

    http::Router router;
    adapters::api::AddApiRoutes(router, api);
    http::AddOperationalRoutes(router, metrics, http::ServiceInfo{KCLINIC_VERSION, std::string(store.Backend())},
                               [&store, sqlite_path = adapters::storage::SqlitePath(options.url)] {
                                   return DatabaseAnswers(store, sqlite_path);
                               });
    http::AddWebFrontEnd(router, std::move(web_files));

    http::ServerOptions server_options;
    server_options.host = address.host;
    server_options.port = address.port;
    server_options.io_threads = options.io_threads;
    server_options.worker_threads = options.workers;
    server_options.log = [&log](std::string_view line) {
        log->Write(adapters::log::LogLevel::kError, "http.server", {{"message", line}});
    };
    server_options.access_log = [&log](const http::AccessRecord& record) { LogRequest(*log, record); };
    server_options.live = http::LiveEndpoint{
        "/api/v1/live", &hub,
        [&use_cases](const http::HttpRequest& request) {
            return adapters::api::AuthenticateRequest(use_cases.authentication, request);
        },
        http::RecordLiveSubscriber(use_cases.sessions), http::RecordLiveAuditor(use_cases.live_channel)};
    const bool tls = !options.tls_cert.empty();
    if (tls) {
        server_options.tls = http::TlsFiles{options.tls_cert, options.tls_key};
    }
    if (!options.trusted_proxy.empty()) {
        server_options.trusted_proxy = options.trusted_proxy;
    }
    http::HttpServer server(std::move(server_options), std::move(router), metrics);
    if (Status listening = server.Listen(); !listening.ok()) {
        Error error = listening.error();
        const std::map<std::string, std::string, std::less<>> flags = {
            {"tls_certificate", "--tls-cert"}, {"tls_key", "--tls-key"}, {"trusted_proxy", "--trusted-proxy"}};
        const auto flag = flags.find(error.field);
        error.field = flag == flags.end() ? "--listen" : flag->second;
        return error;
    }
    server.StopOnSignals({SIGTERM, SIGINT});
    if (tls) {
        // An operator renews the certificate by replacing the files and sending SIGHUP; a pair that does not load
        // is logged and the one in force stays.
        server.ReloadTlsOnSignal(SIGHUP, [&log](const Status& reloaded) {
            if (reloaded.ok()) {
                log->Write(adapters::log::LogLevel::kInfo, "tls.reload", {{"outcome", "loaded"}});
            } else {
                log->Write(
                    adapters::log::LogLevel::kError, "tls.reload",
                    {{"outcome", "refused; the certificate in force stays"}, {"message", reloaded.error().message}});
            }
        });
    }

    // The bedside monitors' feed: its listener runs on its own thread until the HTTP server stops. The demo clinic's
    // monitor needs one too: on a free loopback port when --mllp names none.
    std::optional<app::DeviceFeedBatches> batches;
    std::optional<adapters::hl7::IngestCommitter> committer;
    std::optional<adapters::hl7::MonitorFeed> monitor_feed;
    std::optional<adapters::hl7::mllp::MllpListener> mllp;
    const ListenAddress mllp_listen = mllp_address.value_or(ListenAddress{"127.0.0.1", 0});
    if (mllp_address || options.demo) {
        ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, use_cases.settings.LoadClinicSettings());
        ASSIGN_OR_RETURN(clinical::ClinicZone zone, app::ClinicZoneOf(settings, zones));
        const std::size_t max_message_bytes = static_cast<std::size_t>(options.mllp_max_message_kib) << 10;
        const adapters::hl7::IngestCommitterOptions committer_options;
        batches.emplace(store, clock);
        committer.emplace(*batches, clock, committer_options, metrics);
        monitor_feed.emplace(use_cases.devices, *committer, clock, events,
                             adapters::hl7::MonitorFeedOptions{max_message_bytes, std::move(zone)});
        adapters::hl7::mllp::ListenerOptions listener_options;
        listener_options.host = mllp_listen.host;
        listener_options.port = mllp_listen.port;
        listener_options.max_message_bytes = max_message_bytes;
        // The feed waits for no commit on a thread of its own (monitor_feed.hpp "Threads"): the workers only count
        // the errors of AR'd messages and store batch frames, a few at a time.
        listener_options.worker_threads = 4;
        listener_options.log = [&log](std::string_view line) {
            log->Write(adapters::log::LogLevel::kWarning, "mllp.listener", {{"message", line}});
        };
        mllp.emplace(
            listener_options,
            [&monitor_feed](const adapters::hl7::mllp::FrameEvent& event, const adapters::hl7::mllp::Peer& peer,
                            const adapters::hl7::mllp::FrameResponder& responder) {
                monitor_feed->Answer(event, peer, responder);
            },
            metrics);
        if (Status listening = mllp->Listen(); !listening.ok()) {
            Error error = listening.error();
            error.field = "--mllp";
            return error;
        }
    }

    std::optional<app::DemoClinicSummary> demo;
    if (options.demo) {
        ASSIGN_OR_RETURN(app::DemoClinicSummary seeded, app::DemoClinic(store, credentials, zones).Seed(clock.Now()));
        demo = std::move(seeded);
    }
    const std::string shown_host =
        address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
    std::cout << "kclinic serving on " << (tls ? "https://" : "http://") << shown_host << ":" << server.Port()
              << " (database: " << DisplayedDatabase(options.url) << ")" << std::endl;
    if (options.web_root.empty() && !bundle.built) {
        std::cerr << "kclinic serve: this binary was built without its web front end, so / shows a page saying so; "
                     "run `make web` and rebuild (or `make build`), or serve a built one with --web-root web/dist"
                  << std::endl;
    }
    if (mllp_address) {
        std::cout << "kclinic receiving HL7 v2 over MLLP on " << mllp_address->host << ":" << mllp->Port()
                  << " (bedside monitors; docs/hl7.md)" << std::endl;
    }
    if (options.test_clock) {
        std::cout << "kclinic TEST CLOCK: a test-mode database; the clinic's clock starts at the real time and moves "
                     "forward with POST /api/v1/test/clock (never use this for patients)"
                  << std::endl;
    }

    // The outbox's sender loop, on its own thread until the server stops (docs/architecture.md "Outbox").
    LogLineStream outbox_log(*log, adapters::log::LogLevel::kWarning, "outbox");
    std::optional<adapters::mail::OutboxSender> sender;
    if (smtp) {
        std::cout << "kclinic sending the outbox through smtp " << smtp->host << ":" << smtp->port
                  << " (tls: " << options.smtp_tls << ", from: " << smtp->from << ")" << std::endl;
        sender.emplace(store, clock, adapters::mail::SmtpClient(*smtp), adapters::mail::OutboxSenderOptions{},
                       outbox_log);
    }

    std::thread mllp_thread;
    if (mllp) {
        mllp_thread = std::thread([&mllp] { mllp->Run(); });
    }
    LogLineStream demo_monitor_log(*log, adapters::log::LogLevel::kWarning, "demo.monitor");
    std::optional<DemoMonitor> demo_monitor;
    if (demo) {
        PrintDemo(*demo, options.demo_feed_interval_s);
        if (demo->monitoring_session && !demo->monitoring_device.empty()) {
            // An unspecified address (0.0.0.0, ::) listens on loopback too.
            const bool unspecified = mllp_listen.host == "0.0.0.0" || mllp_listen.host == "::";
            demo_monitor.emplace(
                unspecified ? "127.0.0.1" : mllp_listen.host, mllp->Port(), demo->monitoring_device,
                std::chrono::milliseconds(static_cast<std::int64_t>(options.demo_feed_interval_s * 1000)), clock,
                demo_monitor_log);
        }
    }
    LogStartUp(*log, options, store.Backend());
    server.Run();
    log->Write(adapters::log::LogLevel::kInfo, "server.stop");
    demo_monitor.reset();  // before its listener stops
    if (mllp) {
        mllp->Stop();  // a message being stored is still answered
        mllp_thread.join();
    }
    sender.reset();
    return CommandOutput{adapters::json::Json::object(), ""};
}

}  // namespace

void RegisterServeCommand(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<ServeOptions>();
    CLI::App* serve = app.add_subcommand(
        "serve", "Serve the clinic over HTTP or HTTPS until SIGTERM or SIGINT (prints the URL once listening)");
    serve->add_option("--db", options->url,
                      "Database: sqlite:PATH or postgres://... (default $KCLINIC_DB, else sqlite:kclinic.db)");
    serve->add_option("--listen", options->listen,
                      "Address and port, HOST:PORT or [IPv6]:PORT; port 0 picks a free one (default "
                      "127.0.0.1:8080, loopback only)");
    serve->add_option("--io-threads", options->io_threads, "Threads doing network I/O (1-64, default 1)")
        ->check(CLI::Range(1, 64));
    serve
        ->add_option("--workers", options->workers,
                     "Threads running request handlers, which mostly wait on the database (1-1024, default 64)")
        ->check(CLI::Range(1, 1024));
    serve->add_flag("--demo", options->demo,
                    "Add the synthetic demo clinic (staff of every role, patients at every step, one session in "
                    "monitoring whose vital signs keep arriving) when the database holds no patient yet; print its "
                    "logins");
    serve->add_flag("--test-clock", options->test_clock,
                    "TEST ONLY: run the clinic on a clock that tests move forward (POST /api/v1/test/clock). Creates a "
                    "new database in test mode; refused on a database not created so");
    serve
        ->add_option("--demo-feed-interval", options->demo_feed_interval_s,
                     "Seconds between the demo monitor's sets of vital signs (0.1-3600, default 5)")
        ->check(CLI::Range(0.1, 3600.0));
    serve->add_option("--smtp", options->smtp,
                      "Send the outbox (appointment reminders) through the SMTP relay at HOST:PORT; without it, "
                      "messages wait in the outbox");
    serve->add_option("--smtp-from", options->smtp_from,
                      "The From of every message, ADDRESS or \"NAME <ADDRESS>\" (ASCII); required with --smtp");
    serve->add_option("--smtp-tls", options->smtp_tls,
                      "starttls (upgrade when the relay offers it; default), required (never send in the clear) or "
                      "off");
    serve->add_option("--smtp-ca-file", options->smtp_ca_file,
                      "A PEM file of CAs to trust for the relay's certificate, besides the system's");
    serve->add_option("--smtp-user", options->smtp_user,
                      "Log in to the relay (AUTH, over TLS only) as this user; the password is read from "
                      "$KCLINIC_SMTP_PASSWORD");
    serve
        ->add_option("--smtp-timeout", options->smtp_timeout_s,
                     "Seconds one delivery may take, connection to the relay's answer (1-600, default 60)")
        ->check(CLI::Range(1, 600));
    serve->add_option("--smtp-helo", options->smtp_helo, "The name EHLO gives the relay (default localhost)");
    serve->add_option("--web-root", options->web_root,
                      "Serve the web front end from this folder (a built web/dist, read at every request: for "
                      "development) instead of the one built into the binary; it must hold index.html");
    serve->add_option("--mllp", options->mllp,
                      "Also receive bedside monitors' HL7 v2 ORU^R01 over MLLP at HOST:PORT, such as "
                      "127.0.0.1:2575 (docs/hl7.md); port 0 picks a free one");
    serve
        ->add_option("--mllp-max-message-kib", options->mllp_max_message_kib,
                     "The largest HL7 message taken, in KiB (4-16384, default 1024); a larger one is answered AR")
        ->check(CLI::Range(kMinMllpMessageKib, kMaxMllpMessageKib));
    serve->add_option("--log-level", options->log_level,
                      "The least severe lines written to stderr, one JSON object each (docs/operations.md \"Logs\"): "
                      "debug, info (default: one line per request), warning, error or off");
    serve->add_option("--tls-cert", options->tls_cert,
                      "Serve HTTPS (TLS 1.2 and 1.3 only; the live channel as wss) with this PEM certificate chain, "
                      "reread on SIGHUP; needs --tls-key (docs/security.md \"Transport\")");
    serve->add_option("--tls-key", options->tls_key, "The PEM private key of --tls-cert, reread with it on SIGHUP");
    serve->add_option("--trusted-proxy", options->trusted_proxy,
                      "The IP address of the TLS-terminating reverse proxy (such as 127.0.0.1 for nginx on this "
                      "host) whose X-Forwarded-For and X-Forwarded-Proto are believed; from any other address they "
                      "are ignored (docs/operations.md)");
    serve
        ->add_option("--database-wait", options->database_wait_s,
                     "Seconds start-up waits for a database that does not answer yet (PostgreSQL still starting), "
                     "trying again with a warning in the log, before it exits 2 (0-3600, default 60; 0: no wait)")
        ->check(CLI::Range(0, kMaxDatabaseWaitS));
    serve->add_option("--config", options->config,
                      "A JSON file with any of the keys " + std::string(kConfigKeys) +
                          " (the flags above); flags on the command line win over it");
    commands.push_back(Command{serve, &options->json, [options, serve]() -> Result<CommandOutput> {
                                   ServeOptions effective = *options;
                                   if (!effective.config.empty()) {
                                       RETURN_IF_ERROR(ApplyConfigFile(*serve, effective));
                                   }
                                   return RunServe(effective);
                               }});
}

}  // namespace kclinic::cli
