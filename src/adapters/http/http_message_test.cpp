#include "adapters/http/http_message.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kclinic::adapters::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(HeadersTest, NamesCompareWithoutCaseAndSetReplacesEveryField) {
    Headers headers;
    headers.Add("Content-Type", "text/plain");
    headers.Add("X-Trace", "1");
    headers.Add("x-trace", "2");
    EXPECT_EQ(headers.Find("content-type"), "text/plain");
    EXPECT_EQ(headers.Find("X-TRACE"), "1");
    EXPECT_EQ(headers.Find("Accept"), std::nullopt);

    headers.Set("X-TRACE", "3");
    EXPECT_EQ(headers.size(), 2U);
    EXPECT_EQ(headers.Find("x-trace"), "3");
}

TEST(ParseTargetTest, SplitsPathAndDecodesTheQuery) {
    struct Case {
        std::string target;
        std::string path;
        Pairs query;
    };
    const std::vector<Case> cases = {
        {"/", "/", {}},
        {"/api/v1/patients", "/api/v1/patients", {}},
        {"/api/v1/patients?after=10&limit=5", "/api/v1/patients", {{"after", "10"}, {"limit", "5"}}},
        {"/search?q=a+b%26c&empty=&flag", "/search", {{"q", "a b&c"}, {"empty", ""}, {"flag", ""}}},
        {"/x?a=1&&b=2&", "/x", {{"a", "1"}, {"b", "2"}}},
        {"/x?", "/x", {}},
        // The path stays encoded (the router decodes per segment, so %2F cannot split a segment); + is literal.
        {"/files/a%2Fb+c?n=%C3%A9", "/files/a%2Fb+c", {{"n", "\xC3\xA9"}}},
    };
    for (const Case& c : cases) {
        Result<RequestTarget> parsed = ParseTarget(c.target);
        ASSERT_TRUE(parsed.ok()) << c.target;
        EXPECT_EQ(parsed->path, c.path) << c.target;
        EXPECT_EQ(parsed->query, c.query) << c.target;
    }
}

TEST(ParseTargetTest, RefusesOtherFormsAndBrokenEscapes) {
    for (const std::string target : {"", "*", "http://example.org/x", "x/y", "/a%2", "/a%zz", "/a?b=%4", "/a?%g1=2"}) {
        Result<RequestTarget> parsed = ParseTarget(target);
        ASSERT_FALSE(parsed.ok()) << target;
        EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << target;
        EXPECT_EQ(parsed.error().field, "target") << target;
    }
}

TEST(PercentDecodeTest, DecodesEscapesOnly) {
    EXPECT_EQ(PercentDecode("a%20b%2fc+d"), "a b/c+d");
    EXPECT_EQ(PercentDecode("%41%4a%4A"), "AJJ");
    EXPECT_EQ(PercentDecode("100%"), std::nullopt);
    EXPECT_EQ(PercentDecode("%4"), std::nullopt);
    EXPECT_EQ(PercentDecode("%%41"), std::nullopt);
}

TEST(HttpRequestTest, QueryParameterFindsTheFirstOfAName) {
    HttpRequest request;
    request.query = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
    EXPECT_EQ(request.QueryParameter("a"), "1");
    EXPECT_EQ(request.QueryParameter("b"), "2");
    EXPECT_EQ(request.QueryParameter("A"), std::nullopt);
}

// One row per request query: the parameters sent, and the error (field, message) or none.
struct QueryCase {
    Pairs query;
    std::string field;  // empty: accepted
    std::string message;
};

TEST(CheckQueryParametersTest, AcceptsDeclaredParametersOnceAndNamesAnyOther) {
    const QueryParameters paged{"limit", "after"};
    const std::vector<QueryCase> cases = {
        {{}, "", ""},
        {{{"limit", "5"}}, "", ""},
        {{{"after", "3"}, {"limit", "5"}}, "", ""},
        {{{"limit", "5"}, {"foo", "1"}}, "foo", "unknown query parameter 'foo'; this route accepts: limit, after"},
        {{{"Limit", "5"}}, "Limit", "unknown query parameter 'Limit'; this route accepts: limit, after"},
        {{{"", "5"}}, "", "unknown query parameter ''; this route accepts: limit, after"},
        {{{"limit", "5"}, {"limit", "6"}}, "limit", "query parameter 'limit' is repeated; send it once"},
        {{{"after", "1"}, {"limit", "5"}, {"after", "1"}},
         "after",
         "query parameter 'after' is repeated; send it once"},
    };
    for (const QueryCase& row : cases) {
        HttpRequest request;
        request.query = row.query;
        const Status status = CheckQueryParameters(request, paged);
        if (row.message.empty()) {
            EXPECT_TRUE(status.ok()) << status.error().ToString();
            continue;
        }
        ASSERT_FALSE(status.ok()) << row.message;
        EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(status.error().field, row.field);
        EXPECT_EQ(status.error().message, row.message);
    }
}

TEST(CheckQueryParametersTest, ARouteWithoutParametersSaysItAcceptsNone) {
    HttpRequest request;
    EXPECT_TRUE(CheckQueryParameters(request, {}).ok());
    request.query = {{"verbose", ""}};
    const Status status = CheckQueryParameters(request, {});
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, "verbose");
    EXPECT_EQ(status.error().message, "unknown query parameter 'verbose'; this route accepts none");
}

Headers ContentType(std::initializer_list<std::string> values) {
    Headers headers;
    headers.Add("Host", "localhost");
    for (const std::string& value : values) {
        headers.Add("content-type", value);
    }
    return headers;
}

TEST(DeclaresJsonBodyTest, TakesApplicationJsonWithAnOptionalUtf8Charset) {
    for (const std::string value :
         {"application/json", "APPLICATION/Json", " application/json ", "application/json;", "application/json; ;",
          "application/json;charset=utf-8", "application/json ; CHARSET = \"UTF-8\" "}) {
        EXPECT_TRUE(DeclaresJsonBody(ContentType({value}), "{}")) << value;
    }
    EXPECT_TRUE(DeclaresJsonBody(ContentType({}), "")) << "an empty body says nothing";
    EXPECT_TRUE(DeclaresJsonBody(ContentType({"text/plain"}), "")) << "an empty body is not read";
}

TEST(DeclaresJsonBodyTest, RefusesEveryOtherTypeParameterOrAmbiguity) {
    for (const std::string value :
         {"", "text/plain", "application/jsonp", "application/json-seq", "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/json; charset=latin1",
          "application/json; charset=utf-8; charset=utf-8", "application/json; boundary=x", "application/json; charset",
          "application/ json", "application/json; charset=\"utf-8", "*/*"}) {
        EXPECT_FALSE(DeclaresJsonBody(ContentType({value}), "{}")) << value;
    }
    EXPECT_FALSE(DeclaresJsonBody(ContentType({}), "{}")) << "a body without a Content-Type";
    EXPECT_FALSE(DeclaresJsonBody(ContentType({"text/plain", "application/json"}), "{}"));
    EXPECT_FALSE(DeclaresJsonBody(ContentType({"application/json", "application/json"}), "{}"));
}

TEST(MethodNameTest, NamesEveryMethod) {
    EXPECT_EQ(MethodName(Method::kGet), "GET");
    EXPECT_EQ(MethodName(Method::kHead), "HEAD");
    EXPECT_EQ(MethodName(Method::kPost), "POST");
    EXPECT_EQ(MethodName(Method::kPut), "PUT");
    EXPECT_EQ(MethodName(Method::kPatch), "PATCH");
    EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
    EXPECT_EQ(MethodName(Method::kOptions), "OPTIONS");
    EXPECT_EQ(MethodName(Method::kOther), "OTHER");
}

}  // namespace
}  // namespace kclinic::adapters::http
