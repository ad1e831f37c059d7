#include "adapters/http/http_message.hpp"

#include <gtest/gtest.h>

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
