#include "cli/serve_command.hpp"

#include <csignal>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/api/api.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/operational_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/authentication.hpp"
#include "app/ports/event_bus.hpp"
#include "app/treatment_records.hpp"

namespace kclinic::cli {
namespace {

namespace http = adapters::http;

struct ServeOptions {
    std::string url = DefaultDatabaseUrl();
    std::string listen = "127.0.0.1:8080";
    int io_threads = 1;
    int workers = 0;    // 0: twice the hardware threads
    bool json = false;  // serve has no --json: its one line of output is for people and for tests alike
};

struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
};

// HOST:PORT with an IPv4 address, [IPv6]:PORT, or localhost:PORT (IPv4 loopback). The address itself is checked
// when the server binds it.
Result<ListenAddress> ParseListen(std::string_view text) {
    const Error error = InvalidArgument(
        "--listen", "expected HOST:PORT with an IP address, such as 127.0.0.1:8080 or [::1]:8080 (got \"" +
                        std::string(text) + "\")");
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return error;
    }
    std::string host(text.substr(0, colon));
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return error;
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return error;  // an IPv6 address needs its brackets, or the port cannot be told apart
    }
    if (host == "localhost") {
        host = "127.0.0.1";
    }
    const std::string_view port_text = text.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port_text)) > 65535) {
        return error;
    }
    return ListenAddress{host, static_cast<std::uint16_t>(std::stoi(std::string(port_text)))};
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

// Every use case the server runs, over one store, clock and set of credentials.
struct ClinicServices {
    ClinicServices(app::Store& store, const app::Clock& clock, const app::Credentials& credentials)
        : authentication(store, clock, credentials),
          users(store, clock, credentials),
          settings(store, clock),
          patients(store, clock),
          history(store, clock),
          treatment(store, clock),
          alerts(store, clock),
          adverse_events(store, clock),
          notes(store, clock),
          rems(store, clock) {}

    app::Authentication authentication;
    app::UserRecords users;
    app::ClinicSettingsRecords settings;
    app::PatientRecords patients;
    app::HistoryRecords history;
    app::TreatmentRecords treatment;
    app::AlertRecords alerts;
    app::AdverseEventRecords adverse_events;
    app::NoteRecords notes;
    app::RemsForms rems;
};

// Readiness: the database answers a trivial read. Loading the clinic settings is the cheapest query the Store port
// has that touches no patient data (so it needs no audit entry) and reaches the database on both backends.
Status DatabaseAnswers(app::Store& store) {
    return store.Read([](app::StoreTransaction& transaction) -> Status {
        auto settings = transaction.LoadSettings();
        return settings.ok() ? Status::Ok() : Status(settings.error());
    });
}

Result<CommandOutput> RunServe(const ServeOptions& options) {
    Result<ListenAddress> address = ParseListen(options.listen);
    if (!address.ok()) {
        return address.error();
    }
    Result<std::unique_ptr<app::Store>> opened = adapters::storage::OpenStore(options.url);
    if (!opened.ok()) {
        return opened.error();
    }
    app::Store& store = **opened;

    const adapters::SystemClock clock;
    const adapters::crypto::SodiumCredentials credentials;
    ClinicServices services(store, clock, credentials);
    http::MetricsRegistry metrics;
    // The live channel's hub is this process's EventBus: whatever records a change publishes to `events` after its
    // commit (the API routes, the demo clinic's vitals feed). On PostgreSQL the LISTEN/NOTIFY relay wraps the hub
    // here, so that `events` reaches the live subscribers of every server process on the database.
    http::LiveHub hub(metrics);
    app::EventBus& events = hub;
    adapters::api::ApiServices api{clock,
                                   services.authentication,
                                   services.users,
                                   services.settings,
                                   services.patients,
                                   services.history,
                                   services.treatment,
                                   services.alerts,
                                   services.adverse_events,
                                   services.notes,
                                   services.rems,
                                   events};

    http::Router router;
    adapters::api::AddApiRoutes(router, api);
    http::AddOperationalRoutes(router, metrics, http::ServiceInfo{KCLINIC_VERSION, std::string(store.Backend())},
                               [&store] { return DatabaseAnswers(store); });

    http::ServerOptions server_options;
    server_options.host = address->host;
    server_options.port = address->port;
    server_options.io_threads = options.io_threads;
    server_options.worker_threads = options.workers;
    server_options.live =
        http::LiveEndpoint{"/api/v1/live", &hub,
                           [&services](const http::HttpRequest& request) {
                               return adapters::api::AuthenticateRequest(services.authentication, request);
                           },
                           http::RecordLiveSubscriber(services.treatment)};
    http::HttpServer server(std::move(server_options), std::move(router), metrics);
    if (Status listening = server.Listen(); !listening.ok()) {
        Error error = listening.error();
        error.field = "--listen";
        return error;
    }
    server.StopOnSignals({SIGTERM, SIGINT});
    const std::string shown_host =
        address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
    std::cout << "kclinic serving on http://" << shown_host << ":" << server.Port()
              << " (database: " << DisplayedDatabase(options.url) << ")" << std::endl;
    server.Run();
    return CommandOutput{adapters::json::Json::object(), ""};
}

}  // namespace

void RegisterServeCommand(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<ServeOptions>();
    CLI::App* serve = app.add_subcommand(
        "serve", "Serve the clinic over HTTP until SIGTERM or SIGINT (prints the URL once listening)");
    serve->add_option("--db", options->url,
                      "Database: sqlite:PATH or postgres://... (default $KCLINIC_DB, else sqlite:kclinic.db)");
    serve->add_option("--listen", options->listen,
                      "Address and port, HOST:PORT or [IPv6]:PORT; port 0 picks a free one (default "
                      "127.0.0.1:8080, loopback only)");
    serve->add_option("--io-threads", options->io_threads, "Threads doing network I/O (1-64, default 1)")
        ->check(CLI::Range(1, 64));
    serve
        ->add_option("--workers", options->workers,
                     "Threads running request handlers, which may wait on the database (1-1024, default twice "
                     "the CPU threads)")
        ->check(CLI::Range(1, 1024));
    commands.push_back(Command{serve, &options->json, [options] { return RunServe(*options); }});
}

}  // namespace kclinic::cli
