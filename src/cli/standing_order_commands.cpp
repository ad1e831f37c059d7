#include "cli/standing_order_commands.hpp"

#include <memory>
#include <optional>
#include <string>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/json/object_reader.hpp"
#include "adapters/json/standing_order_json.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/authentication.hpp"
#include "app/authorization.hpp"
#include "app/standing_orders.hpp"
#include "base/text.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

// The use cases over the store at `options.url`, and the authentication a signer confirms through.
template <typename Use>
Result<CommandOutput> WithStandingOrders(const DatabaseOptions& options, Use use) {
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    adapters::SystemClock clock;
    adapters::OsTimeZones zones;
    adapters::crypto::SodiumCredentials credentials;
    app::StandingOrders orders(*store, clock, zones);
    app::Authentication authentication(*store, clock, credentials);
    return use(orders, authentication);
}

// "2. labetalol 10 mg iv for SBP above threshold; at most 2 per session, 20 mg in all, 10 min apart; when SBP >= 180
// for 10 min"
std::string EntryLine(const app::StandingOrderEntry& entry) {
    const clinical::PrnOrderTerms& terms = entry.terms;
    const std::string unit(clinical::kMedicationUnitNames.Name(terms.unit));
    std::string routes;
    for (const clinical::MedicationRoute route : terms.routes) {
        routes += (routes.empty() ? "" : "|") + std::string(clinical::kMedicationRouteNames.Name(route));
    }
    std::string line = "  " + std::to_string(entry.number) + ". " + terms.drug + " " + FormatNumber(terms.dose) + " " +
                       unit + " " + routes + " for " + terms.indication + "; at most " +
                       std::to_string(terms.max_doses_per_session) + " per session";
    if (terms.max_total_per_session) {
        line += ", " + FormatNumber(*terms.max_total_per_session) + " " + unit + " in all";
    }
    if (terms.min_interval_minutes > 0) {
        line += ", " + std::to_string(terms.min_interval_minutes) + " min apart";
    }
    if (terms.sbp_condition) {
        line += "; when SBP >= " + std::to_string(terms.sbp_condition->systolic_at_or_above_mmhg) + " mmHg for " +
                std::to_string(terms.sbp_condition->sustained_minutes) + " min";
    }
    return line + "\n";
}

std::string SetHeading(const app::StandingOrderSet& set) {
    return "version " + std::to_string(set.version) + "  signed " + json::FormatTime(set.signed_at) + " by " +
           set.signed_by + "  " + std::to_string(set.entries.size()) + " entries" +
           (set.note.empty() ? "" : "  (" + set.note + ")") + "\n";
}

CommandOutput SetOutput(const app::StandingOrderSet& set) {
    std::string text = SetHeading(set);
    for (const app::StandingOrderEntry& entry : set.entries) {
        text += EntryLine(entry);
    }
    return CommandOutput{json::ToJson(set), text};
}

Result<CommandOutput> RunList(const DatabaseOptions& options) {
    return WithStandingOrders(options, [](app::StandingOrders& orders, app::Authentication&) -> Result<CommandOutput> {
        ASSIGN_OR_RETURN(const std::vector<app::StandingOrderSet> sets, orders.ListSets());
        json::Json items = json::Json::array();
        std::string text;
        for (const app::StandingOrderSet& set : sets) {
            items.push_back(json::ToJson(set));
            text += SetHeading(set);
        }
        return CommandOutput{json::Json{{"sets", std::move(items)}},
                             text.empty() ? "no standing orders signed\n" : text};
    });
}

struct ShowOptions {
    DatabaseOptions database;
    std::optional<int> version;
    std::string at;
};

Result<CommandOutput> RunShow(const ShowOptions& options) {
    if (options.version && !options.at.empty()) {
        return InvalidArgument("--at", "give either --version or --at, not both");
    }
    std::optional<app::TimePoint> at;
    if (!options.at.empty()) {
        at = json::ParseRfc3339(options.at);
        if (!at) {
            return InvalidArgument(
                "--at", "expected an RFC 3339 time such as 2026-12-01T00:00:00Z (got \"" + options.at + "\")");
        }
    }
    return WithStandingOrders(options.database,
                              [&](app::StandingOrders& orders, app::Authentication&) -> Result<CommandOutput> {
                                  if (!options.version) {
                                      ASSIGN_OR_RETURN(const app::StandingOrderSet set,
                                                       orders.SetInForce(at.value_or(adapters::SystemClock().Now())));
                                      return SetOutput(set);
                                  }
                                  ASSIGN_OR_RETURN(const std::vector<app::StandingOrderSet> sets, orders.ListSets());
                                  for (const app::StandingOrderSet& set : sets) {
                                      if (set.version == *options.version) {
                                          return SetOutput(set);
                                      }
                                  }
                                  return Error{ErrorCode::kNotFound, "--version",
                                               "no version " + std::to_string(*options.version) + " was signed"};
                              });
}

struct SignOptions {
    DatabaseOptions database;
    std::string file;
    std::string signer;
};

Result<CommandOutput> RunSign(const SignOptions& options) {
    // The signer's password is the one line of standard input, so the set comes from a file.
    if (options.file == "-") {
        return InvalidArgument("--file", "standard input carries the signer's password; give the set as a file");
    }
    ASSIGN_OR_RETURN(const std::string document, ReadInput(options.file));
    ASSIGN_OR_RETURN(const app::NewStandingOrderSet set, json::ReadStandingOrderSet(document));
    return WithStandingOrders(
        options.database,
        [&](app::StandingOrders& orders, app::Authentication& authentication) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const std::string password, ReadPassword(options.signer));
            Result<app::Principal> signer = authentication.ConfirmWitness(options.signer, password, "cli");
            if (!signer.ok()) {
                return Error{signer.error().code, "signer", signer.error().message};
            }
            if (!app::RoleHolds(signer->role, app::Permission::kStandingOrderSign)) {
                return Error{ErrorCode::kPermissionDenied, "signer",
                             signer->email +
                                 " may not sign standing orders (standing_order.sign: the medical "
                                 "director, a prescriber)"};
            }
            ASSIGN_OR_RETURN(const app::StandingOrderSet signed_set,
                             orders.SignSet(app::Actor{signer->email, "cli"}, set));
            return SetOutput(signed_set);
        });
}

}  // namespace

void RegisterStandingOrderCommands(CLI::App& app, std::vector<Command>& commands) {
    CLI::App* orders = app.add_subcommand(
        "standing-orders", "The clinic's standing orders: every version, the set in force, signing a new version");
    orders->require_subcommand(1);

    auto list = std::make_shared<DatabaseOptions>();
    CLI::App* list_command = orders->add_subcommand("list", "Every version, oldest first");
    AddDatabaseOptions(*list_command, *list);
    commands.push_back(Command{list_command, &list->json, [list] { return RunList(*list); }});

    auto show = std::make_shared<ShowOptions>();
    CLI::App* show_command =
        orders->add_subcommand("show", "The set in force now (or at --at), or one --version, with its entries");
    show_command->add_option("--version", show->version, "A version number");
    show_command->add_option("--at", show->at, "RFC 3339 time: the set in force then");
    AddDatabaseOptions(*show_command, show->database);
    commands.push_back(Command{show_command, &show->database.json, [show] { return RunShow(*show); }});

    auto sign = std::make_shared<SignOptions>();
    CLI::App* sign_command = orders->add_subcommand(
        "sign", "Sign a new version from a JSON file, as the medical director (their password on stdin)");
    sign_command->add_option("--file", sign->file, R"(The set: {"supersedes_version", "note", "entries": [...]})")
        ->required();
    sign_command->add_option("--signer", sign->signer, "The signing prescriber's email")->required();
    AddDatabaseOptions(*sign_command, sign->database);
    commands.push_back(Command{sign_command, &sign->database.json, [sign] { return RunSign(*sign); }});
}

}  // namespace kclinic::cli
