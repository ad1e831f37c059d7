#include "cli/user_commands.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/access_rules.hpp"
#include "app/authorization.hpp"
#include "app/calendar_feeds.hpp"
#include "app/clinic_settings.hpp"
#include "app/record_names.hpp"
#include "app/second_factors.hpp"
#include "app/user_records.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

std::string UserLine(const app::User& user, app::TimePoint now) {
    std::string line =
        "#" + std::to_string(user.id.value) + "  " + user.email + "  " + std::string(app::RoleName(user.role));
    if (!user.display_name.empty()) {
        line += "  " + user.display_name;
    }
    if (user.patient) {
        line += "  patient #" + std::to_string(user.patient->value);
    }
    if (user.disabled) {
        line += "  [disabled]";
    }
    if (user.locked_until && *user.locked_until > now) {
        line += user.locked_until == app::kLockedUntilUnlocked
                    ? "  [locked until an admin unlocks it]"
                    : "  [locked until " + json::FormatTime(*user.locked_until) + "]";
    }
    return line + "\n";
}

std::string TokenLine(const app::ApiToken& token) {
    return "#" + std::to_string(token.id.value) + "  \"" + token.name + "\"  created " +
           json::FormatTime(token.created_at) + " by " + token.created_by +
           (token.revoked_at ? "  [revoked " + json::FormatTime(*token.revoked_at) + "]" : std::string()) + "\n";
}

// Opens the store and runs `use` with the user use cases (or the calendar feeds', which are built alike), acting as
// the CLI's admin principal once Authorize agrees (docs/security.md: whoever can open the database acts as an admin).
template <typename Records = app::UserRecords, typename Use>
Result<CommandOutput> WithUsers(const DatabaseOptions& options, app::Permission permission, Use use) {
    const app::Principal principal = app::CliPrincipal(OperatingSystemUser());
    RETURN_IF_ERROR(app::Authorize(principal, permission));
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    adapters::SystemClock clock;
    const adapters::crypto::SodiumCredentials credentials;
    Records records(*store, clock, credentials);
    return use(records, app::ActorOf(principal, "cli"), clock.Now());
}

// ----- user add | list | disable | unlock | set-password ---------------------------------------------------------

struct UserAddOptions {
    DatabaseOptions database;
    std::string email;
    std::string role;
    std::string name;
    std::optional<std::int64_t> patient_id;
};

struct UserListOptions {
    DatabaseOptions database;
    std::int64_t after = 0;
    int limit = 50;
};

struct UserEmailOptions {
    DatabaseOptions database;
    std::string email;
};

Result<CommandOutput> RunUserAdd(const UserAddOptions& options) {
    Result<app::Role> role = app::ParseRole(options.role);
    if (!role.ok()) {
        return InvalidArgument("--role", role.error().message);
    }
    ASSIGN_OR_RETURN(std::string password, ReadPassword(options.email));
    std::optional<app::PatientId> patient;
    if (options.patient_id) {
        patient = app::PatientId{*options.patient_id};
    }
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::User user,
                             users.AddUser(actor, app::NewUser{options.email, options.name, *role, password, patient}));
            return CommandOutput{json::ToJson(user), "added " + UserLine(user, now)};
        });
}

Result<CommandOutput> RunUserList(const UserListOptions& options) {
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(std::vector<app::User> listed,
                             users.ListUsers(actor, app::UserId{options.after}, options.limit));
            json::Json list = json::Json::array();
            std::string text;
            for (const app::User& user : listed) {
                list.push_back(json::ToJson(user));
                text += UserLine(user, now);
            }
            json::Json output{{"users", std::move(list)}};
            if (static_cast<int>(listed.size()) == options.limit) {
                output["next_after"] = listed.back().id.value;
                text += "(more: --after " + std::to_string(listed.back().id.value) + ")\n";
            }
            return CommandOutput{std::move(output), text.empty() ? "no users\n" : text};
        });
}

Result<CommandOutput> RunUserDisable(const UserEmailOptions& options) {
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::User user, users.DisableUser(actor, options.email));
            return CommandOutput{json::ToJson(user), "disabled " + UserLine(user, now) +
                                                         "every browser session of theirs is ended, every API token "
                                                         "and their calendar feed revoked\n"};
        });
}

Result<CommandOutput> RunUserUnlock(const UserEmailOptions& options) {
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::User user, users.UnlockUser(actor, options.email));
            return CommandOutput{json::ToJson(user), "unlocked " + UserLine(user, now)};
        });
}

Result<CommandOutput> RunUserMedicalDirector(const UserEmailOptions& options) {
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::User user, users.DesignateMedicalDirector(actor, options.email));
            return CommandOutput{json::ToJson(user), "medical director: " + UserLine(user, now) +
                                                         "they alone sign a count discrepancy's explanation, and "
                                                         "they alone are alerted to one\n"};
        });
}

Result<CommandOutput> RunUserSetPassword(const UserEmailOptions& options) {
    ASSIGN_OR_RETURN(std::string password, ReadPassword(options.email));
    return WithUsers(
        options.database, app::Permission::kUserManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint now) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::User user, users.SetPassword(actor, options.email, password));
            return CommandOutput{json::ToJson(user), "password set for " + UserLine(user, now) +
                                                         "every browser session of theirs is ended\n"};
        });
}

Result<CommandOutput> RunUserResetSecondFactor(const UserEmailOptions& options) {
    return WithUsers<app::SecondFactors>(
        options.database, app::Permission::kUserManage,
        [&](app::SecondFactors& factors, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
            RETURN_IF_ERROR(factors.Reset(actor, options.email));
            return CommandOutput{json::Json{{"email", options.email}, {"second_factor", "reset"}},
                                 "second factor of " + options.email +
                                     " removed with its recovery codes; every browser session of theirs is ended\n"};
        });
}

struct SecondFactorPolicyOptions {
    DatabaseOptions database;
    std::string policy;
    std::vector<std::string> roles;
};

// The clinic settings access.second_factor_<role> (as PUT /api/v1/settings/NAME would change them), so that an
// operator can relax or require a second factor from the server's shell, e.g. before the first admin has enrolled.
Result<CommandOutput> RunUserSecondFactorPolicy(const SecondFactorPolicyOptions& options) {
    std::vector<std::string> names;
    for (const std::string& text : options.roles) {
        ASSIGN_OR_RETURN(const app::Role role, app::ParseRole(text));
        if (role == app::Role::kPatient) {
            return InvalidArgument("ROLE", "patients have no second factor");
        }
        names.push_back("access.second_factor_" + std::string(app::RoleName(role)));
    }
    const app::Principal principal = app::CliPrincipal(OperatingSystemUser());
    RETURN_IF_ERROR(app::Authorize(principal, app::Permission::kSettingsChange));
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.database.url));
    adapters::SystemClock clock;
    const adapters::OsTimeZones zones;
    app::ClinicSettingsRecords settings(*store, clock, zones);
    json::Json changed = json::Json::object();
    std::string text;
    for (const std::string& name : names) {
        RETURN_IF_ERROR(StatusOf(settings.ChangeSetting(app::ActorOf(principal, "cli"), name, options.policy)));
        changed[name] = options.policy;
        text += name + " = " + options.policy + "\n";
    }
    return CommandOutput{changed, text};
}

// ----- token create | list | revoke --------------------------------------------------------------------------------

struct TokenCreateOptions {
    DatabaseOptions database;
    std::string email;
    std::string name;
};

struct TokenRevokeOptions {
    DatabaseOptions database;
    std::int64_t id = 0;
};

Result<CommandOutput> RunTokenCreate(const TokenCreateOptions& options) {
    return WithUsers(
        options.database, app::Permission::kTokenManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::NewApiToken created, users.CreateApiToken(actor, options.email, options.name));
            json::Json output = json::ToJson(created.record);
            output["token"] = created.token;
            return CommandOutput{std::move(output),
                                 "API token #" + std::to_string(created.record.id.value) + " \"" + created.record.name +
                                     "\"; it is shown only this once, store it now:\n" + created.token + "\n"};
        });
}

Result<CommandOutput> RunTokenList(const UserEmailOptions& options) {
    return WithUsers(
        options.database, app::Permission::kTokenManage,
        [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(std::vector<app::ApiToken> tokens, users.ListApiTokens(actor, options.email));
            json::Json list = json::Json::array();
            std::string text;
            for (const app::ApiToken& token : tokens) {
                list.push_back(json::ToJson(token));
                text += TokenLine(token);
            }
            return CommandOutput{json::Json{{"tokens", std::move(list)}}, text.empty() ? "no API tokens\n" : text};
        });
}

Result<CommandOutput> RunTokenRevoke(const TokenRevokeOptions& options) {
    return WithUsers(options.database, app::Permission::kTokenManage,
                     [&](app::UserRecords& users, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
                         ASSIGN_OR_RETURN(app::ApiToken token,
                                          users.RevokeApiToken(actor, app::ApiTokenId{options.id}));
                         return CommandOutput{json::ToJson(token), "revoked " + TokenLine(token)};
                     });
}

// ----- calendar-feed create | revoke --------------------------------------------------------------------------------

struct CalendarFeedCreateOptions {
    DatabaseOptions database;
    std::string email;
    std::string base_url;
};

Result<CommandOutput> RunCalendarFeedCreate(const CalendarFeedCreateOptions& options) {
    return WithUsers<app::CalendarFeeds>(
        options.database, app::Permission::kTokenManage,
        [&](app::CalendarFeeds& feeds, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::NewCalendarFeed created, feeds.CreateFeed(actor, options.email));
            std::string base = options.base_url;
            while (base.ends_with('/')) {
                base.pop_back();
            }
            const std::string url = base + "/calendar/" + created.token + ".ics";
            json::Json output = json::ToJson(created.record);
            output["url"] = url;
            return CommandOutput{std::move(output),
                                 "calendar feed #" + std::to_string(created.record.id.value) + " of " + options.email +
                                     "; its URL is shown only this once, hand it over now:\n" + url + "\n"};
        });
}

Result<CommandOutput> RunCalendarFeedRevoke(const UserEmailOptions& options) {
    return WithUsers<app::CalendarFeeds>(
        options.database, app::Permission::kTokenManage,
        [&](app::CalendarFeeds& feeds, const app::Actor& actor, app::TimePoint) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(app::CalendarFeed revoked, feeds.RevokeFeed(actor, options.email));
            return CommandOutput{json::ToJson(revoked), "revoked calendar feed #" + std::to_string(revoked.id.value) +
                                                            " of " + options.email + "\n"};
        });
}

}  // namespace

void RegisterUserCommands(CLI::App& app, std::vector<Command>& commands) {
    CLI::App* user = app.add_subcommand(
        "user",
        "Add, list, disable and unlock users; designate the medical director; set a user's password; reset and "
        "require second factors");
    user->require_subcommand(1);

    auto add = std::make_shared<UserAddOptions>();
    CLI::App* add_command =
        user->add_subcommand("add", "Add a user; the password is read from stdin (one line, not echoed)");
    add_command->add_option("EMAIL", add->email, "The user's email address (unique, any case)")->required();
    add_command->add_option("--role", add->role, app::kRoleNames.List(" | "))->required();
    add_command->add_option("--name", add->name, "Display name");
    add_command->add_option("--patient-id", add->patient_id, "For role patient: the patient record they may see");
    AddDatabaseOptions(*add_command, add->database);
    commands.push_back(Command{add_command, &add->database.json, [add] { return RunUserAdd(*add); }});

    auto list = std::make_shared<UserListOptions>();
    CLI::App* list_command = user->add_subcommand("list", "List users in the order they were added");
    list_command->add_option("--after", list->after, "Only users with an id above this (paging)");
    list_command->add_option("--limit", list->limit, "At most this many (1-500, default 50)");
    AddDatabaseOptions(*list_command, list->database);
    commands.push_back(Command{list_command, &list->database.json, [list] { return RunUserList(*list); }});

    auto disable = std::make_shared<UserEmailOptions>();
    CLI::App* disable_command =
        user->add_subcommand("disable", "Disable a user: ends their browser sessions and revokes their API tokens");
    disable_command->add_option("EMAIL", disable->email, "The user's email address")->required();
    AddDatabaseOptions(*disable_command, disable->database);
    commands.push_back(
        Command{disable_command, &disable->database.json, [disable] { return RunUserDisable(*disable); }});

    auto unlock = std::make_shared<UserEmailOptions>();
    CLI::App* unlock_command = user->add_subcommand("unlock", "Forget a user's failed logins and lift a login lock");
    unlock_command->add_option("EMAIL", unlock->email, "The user's email address")->required();
    AddDatabaseOptions(*unlock_command, unlock->database);
    commands.push_back(Command{unlock_command, &unlock->database.json, [unlock] { return RunUserUnlock(*unlock); }});

    auto director = std::make_shared<UserEmailOptions>();
    CLI::App* director_command = user->add_subcommand(
        "medical-director",
        "Designate the medical director (an active prescriber, in place of any before): they sign and are alerted to "
        "count discrepancies");
    director_command->add_option("EMAIL", director->email, "The user's email address")->required();
    AddDatabaseOptions(*director_command, director->database);
    commands.push_back(
        Command{director_command, &director->database.json, [director] { return RunUserMedicalDirector(*director); }});

    auto reset = std::make_shared<UserEmailOptions>();
    CLI::App* reset_command =
        user->add_subcommand("reset-second-factor",
                             "Remove a user's second factor and recovery codes (a lost phone) and end their sessions");
    reset_command->add_option("EMAIL", reset->email, "The user's email address")->required();
    AddDatabaseOptions(*reset_command, reset->database);
    commands.push_back(
        Command{reset_command, &reset->database.json, [reset] { return RunUserResetSecondFactor(*reset); }});

    auto policy = std::make_shared<SecondFactorPolicyOptions>();
    CLI::App* policy_command = user->add_subcommand(
        "second-factor-policy", "Require a second factor of staff roles at login, or make it optional");
    policy_command->add_option("POLICY", policy->policy, "required | optional")->required();
    policy_command
        ->add_option("ROLE", policy->roles, "admin | prescriber | nurse | therapist | front_desk (one or more)")
        ->required();
    AddDatabaseOptions(*policy_command, policy->database);
    commands.push_back(
        Command{policy_command, &policy->database.json, [policy] { return RunUserSecondFactorPolicy(*policy); }});

    auto set_password = std::make_shared<UserEmailOptions>();
    CLI::App* set_password_command = user->add_subcommand(
        "set-password", "Replace a user's password (read from stdin, one line) and end their browser sessions");
    set_password_command->add_option("EMAIL", set_password->email, "The user's email address")->required();
    AddDatabaseOptions(*set_password_command, set_password->database);
    commands.push_back(Command{set_password_command, &set_password->database.json,
                               [set_password] { return RunUserSetPassword(*set_password); }});

    CLI::App* token = app.add_subcommand("token", "Create, list and revoke API tokens for machines");
    token->require_subcommand(1);

    auto create = std::make_shared<TokenCreateOptions>();
    CLI::App* create_command =
        token->add_subcommand("create", "Create an API token for a user and print it, this once only");
    create_command->add_option("EMAIL", create->email, "The user the token acts as")->required();
    create_command->add_option("--name", create->name, "What the token is for, unique among the user's live tokens")
        ->required();
    AddDatabaseOptions(*create_command, create->database);
    commands.push_back(Command{create_command, &create->database.json, [create] { return RunTokenCreate(*create); }});

    auto token_list = std::make_shared<UserEmailOptions>();
    CLI::App* token_list_command = token->add_subcommand("list", "List a user's API tokens, revoked ones included");
    token_list_command->add_option("EMAIL", token_list->email, "The user's email address")->required();
    AddDatabaseOptions(*token_list_command, token_list->database);
    commands.push_back(
        Command{token_list_command, &token_list->database.json, [token_list] { return RunTokenList(*token_list); }});

    auto revoke = std::make_shared<TokenRevokeOptions>();
    CLI::App* revoke_command = token->add_subcommand("revoke", "Revoke an API token for good");
    revoke_command->add_option("ID", revoke->id, "The token's id (see token list)")->required();
    AddDatabaseOptions(*revoke_command, revoke->database);
    commands.push_back(Command{revoke_command, &revoke->database.json, [revoke] { return RunTokenRevoke(*revoke); }});

    CLI::App* feed = app.add_subcommand("calendar-feed", "Create and revoke clinicians' calendar feeds (secret URLs)");
    feed->require_subcommand(1);

    auto feed_create = std::make_shared<CalendarFeedCreateOptions>();
    CLI::App* feed_create_command = feed->add_subcommand(
        "create", "Create a user's calendar feed, revoking their previous one, and print its URL, this once only");
    feed_create_command->add_option("EMAIL", feed_create->email, "The clinician whose appointments it shows")
        ->required();
    feed_create_command->add_option("--base-url", feed_create->base_url,
                                    "The server's address as calendar applications reach it, "
                                    "e.g. https://kclinic.clinic.example (without it: the URL's path)");
    AddDatabaseOptions(*feed_create_command, feed_create->database);
    commands.push_back(Command{feed_create_command, &feed_create->database.json,
                               [feed_create] { return RunCalendarFeedCreate(*feed_create); }});

    auto feed_revoke = std::make_shared<UserEmailOptions>();
    CLI::App* feed_revoke_command =
        feed->add_subcommand("revoke", "Revoke a user's calendar feed: its URL stops working at once");
    feed_revoke_command->add_option("EMAIL", feed_revoke->email, "The user whose feed it is")->required();
    AddDatabaseOptions(*feed_revoke_command, feed_revoke->database);
    commands.push_back(Command{feed_revoke_command, &feed_revoke->database.json,
                               [feed_revoke] { return RunCalendarFeedRevoke(*feed_revoke); }});
}

}  // namespace kclinic::cli
