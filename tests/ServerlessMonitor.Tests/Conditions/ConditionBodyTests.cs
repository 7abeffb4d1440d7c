using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Conditions.ConditionTestData;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>[BODY], JSON paths and the functions len(), has(), pat(), any(). Ported from Gatus' condition_test.go.</summary>
public sealed class ConditionBodyTests
{
    private const string Html = "<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" /></head><body><div id=\"user\">{0}</div></body></html>";

    [Theory]
    [InlineData("[BODY] == test", "test", true, "[BODY] (test) == test")]
    [InlineData("[BODY] == test", "  test\n", true, "[BODY] (test) == test")]
    [InlineData("[BODY] == test", null, false, "[BODY] () == test")]
    [InlineData("[BODY] == 123", "123", true, "[BODY] (123) == 123")]
    [InlineData("[BODY] < 124", "123", true, "[BODY] (123) < 124")]
    [InlineData("[BODY] > 122", "123", true, "[BODY] (123) > 122")]
    [InlineData("[BODY] > 123", "100", false, "[BODY] (100) > 123")]
    [InlineData("[BODY].status == UP", "{\"status\":\"UP\"}", true, "[BODY].status (UP) == UP")]
    [InlineData("[BODY].status == UP", "{\"status\":\"DOWN\"}", false, "[BODY].status (DOWN) == UP")]
    [InlineData("[BODY].status == UP", "<html>UP</html>", false, "[BODY].status (INVALID) == UP")]
    [InlineData("[BODY].data.name == john", "{\"data\": {\"id\": 1, \"name\": \"john\"}}", true, "[BODY].data.name (john) == john")]
    [InlineData("[BODY].data.name == john", "{\"data\": {\"id\": 1}}", false, "[BODY].data.name (INVALID) == john")]
    [InlineData("[BODY].user.firstName != [BODY].user.lastName", "{\"user\": {\"firstName\": \"john\", \"lastName\": \"doe\"}}", true, "[BODY].user.firstName (john) != [BODY].user.lastName (doe)")]
    [InlineData("[BODY].user.firstName == [BODY].user.lastName", "{\"user\": {\"firstName\": \"john\", \"lastName\": \"doe\"}}", false, "[BODY].user.firstName (john) == [BODY].user.lastName (doe)")]
    [InlineData("[BODY][0].id == 1", "[{\"id\": 1}, {\"id\": 2}]", true, "[BODY][0].id (1) == 1")]
    [InlineData("[BODY][1] == b", "[\"a\", \"b\"]", true, "[BODY][1] (b) == b")]
    [InlineData("[BODY][2] == b", "[\"a\", \"b\"]", false, "[BODY][2] (INVALID) == b")]
    [InlineData("[BODY].matrix[1][0] == 3", "{\"matrix\": [[1, 2], [3, 4]]}", true, "[BODY].matrix[1][0] (3) == 3")]
    [InlineData("[BODY].data[1].id == 2", "{\"data\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]}", true, "[BODY].data[1].id (2) == 2")]
    [InlineData("[BODY].data == OK", "{\"data\": null}\"", false, "[BODY].data (INVALID) == OK")]
    [InlineData("[BODY].data == OK", "{\"data\": null}", false, "[BODY].data (INVALID) == OK")]
    [InlineData("[BODY].items[0] == OK", "{\"items\": [null, null]}", false, "[BODY].items[0] (INVALID) == OK")]
    [InlineData("[BODY].data == OK", "null", false, "[BODY].data (INVALID) == OK")]
    [InlineData("[BODY][0].name == test", "{\"statusCode\": 500, \"message\": \"Internal Server Error\"}", false, "[BODY][0].name (INVALID) == test")]
    [InlineData("[BODY].a.b == 1", "{\"a\": 1}", false, "[BODY].a.b (INVALID) == 1")]
    [InlineData("[BODY].data.id > 0", "{\"data\": {\"id\": 1}}", true, "[BODY].data.id (1) > 0")]
    [InlineData("[BODY].data.id > 5", "{\"data\": {\"id\": 1}}", false, "[BODY].data.id (1) > 5")]
    [InlineData("[BODY].data.id < 5", "{\"data\": {\"id\": 10}}", false, "[BODY].data.id (10) < 5")]
    [InlineData("[BODY].data == 1", "{\"data\": \"0x1\"}", true, "[BODY].data (0x1) == 1")]
    [InlineData("[BODY].data == 12648243", "{\"data\": \"0xC0ff33\"}", true, "[BODY].data (0xC0ff33) == 12648243")]
    [InlineData("[BODY].data >= 1", "{\"data\": \"0x01\"}", true, "[BODY].data (0x01) >= 1")]
    [InlineData("[BODY].data == 2", "{\"data\": \"0o2\"}", true, "[BODY].data (0o2) == 2")]
    [InlineData("[BODY].data == 0b10", "{\"data\": \"0b0010\"}", true, "[BODY].data (0b0010) == 0b10")]
    [InlineData("[BODY].balance > 100", "{\"balance\": \"123.40000000000005\"}", true, "[BODY].balance (123.40000000000005) > 100")]
    [InlineData("[BODY].load < 1.5", "{\"load\": 1.2}", true, "[BODY].load (1.2) < 1.5")]
    [InlineData("[BODY].count == 1234567", "{\"count\": 1234567}", true, "[BODY].count (1234567) == 1234567")]
    [InlineData("[BODY].count == 3", "{\"count\": 3.0}", true, "[BODY].count (3) == 3")]
    [InlineData("[BODY].uptime > 1m", "{\"uptime\": \"5m\"}", true, "[BODY].uptime (5m) > 1m")]
    [InlineData("[BODY].status < 5", "{\"status\": \"UP\"}", false, "[BODY].status (UP) < 5")]
    [InlineData("[BODY].error != fatal", "not json", false, "[BODY].error (INVALID) != fatal")]
    [InlineData("[BODY].enabled == true", "{\"enabled\": true}", true, "[BODY].enabled (true) == true")]
    [InlineData("[BODY].obj == {\"a\":1,\"b\":[1,2]}", "{\"obj\": {\"b\": [1, 2], \"a\": 1}}", true, "[BODY].obj ({\"a\":1,\"b\":[1,2]}) == {\"a\":1,\"b\":[1,2]}")]
    [InlineData("[STATUS] == [BODY].status", "{\"status\": 200}", false, "[STATUS] (0) == [BODY].status (200)")]
    public void Evaluate_BodyAndJsonPath_ReturnsExpectedResult(string text, string? body, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("len([BODY].data.name) == 4", "{\"data\": {\"name\": \"john\"}}", true, "len([BODY].data.name) (4) == 4")]
    [InlineData("len([BODY].data.name) == john", "{\"data\": {\"id\": 1}}", false, "len([BODY].data.name) (INVALID) == john")]
    [InlineData("len([BODY]) == 3", "[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]", true, "len([BODY]) (3) == 3")]
    [InlineData("len([BODY].data) == 3", "{\"data\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]}", true, "len([BODY].data) (3) == 3")]
    [InlineData("len([BODY].data) == 8", "{\"name\": \"john.doe\"}", false, "len([BODY].data) (INVALID) == 8")]
    [InlineData("len([BODY]) == 8", "john.doe", true, "len([BODY]) (8) == 8")]
    [InlineData("len([BODY].name) == 8", "{\"name\": \"john.doe\"}", true, "len([BODY].name) (8) == 8")]
    [InlineData("len([BODY].age) == 2", "{\"age\":18}", true, "len([BODY].age) (2) == 2")]
    [InlineData("len([BODY].adult) == 4", "{\"adult\":true}", true, "len([BODY].adult) (4) == 4")]
    [InlineData("len([BODY][0]) == 23", "[{\"age\":18,\"adult\":true}]", true, "len([BODY][0]) (23) == 23")]
    [InlineData("len([BODY][0].age) == 2", "[{\"age\":18,\"adult\":true}]", true, "len([BODY][0].age) (2) == 2")]
    [InlineData("len([BODY]) == 20", "{\"name\": \"john.doe\"}", true, "len([BODY]) (20) == 20")]
    [InlineData("len([BODY].items) > 0", "{\"items\": []}", false, "len([BODY].items) (0) > 0")]
    [InlineData("len([BODY].name) == 5", "{\"name\": \"Jos\u00e9\"}", true, "len([BODY].name) (5) == 5")]
    public void Evaluate_Len_ReturnsExpectedResult(string text, string body, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("has([BODY].errors) == false", "{}", true, "has([BODY].errors) (false) == false")]
    [InlineData("has([BODY].article) == true", "{\n  \"article\": {\n    \"id\": 123,\n    \"tags\": [\"hello\", \"world\"]\n  }\n}", true, "has([BODY].article) (true) == true")]
    [InlineData("has([BODY].errors) == false", "{\"errors\": [\"1\"]}", false, "has([BODY].errors) (true) == false")]
    [InlineData("has([BODY].errors) != true", "{\"errors\": [\"1\"]}", false, "has([BODY].errors) (true) != true")]
    [InlineData("has([BODY].data) == true", "{\"data\": null}", false, "has([BODY].data) (false) == true")]
    [InlineData("has([BODY].a) == false", "not json", true, "has([BODY].a) (false) == false")]
    [InlineData("has([BODY].users[0].name) == true", "{\"users\": [{\"name\": \"x\"}]}", true, "has([BODY].users[0].name) (true) == true")]
    [InlineData("has([BODY]) == true", " ", false, "has([BODY]) (false) == true")]
    [InlineData("has([BODY]) == true", "x", true, "has([BODY]) (true) == true")]
    public void Evaluate_Has_ReturnsExpectedResult(string text, string body, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[BODY] == pat(*john*)", "{\"name\": \"john.doe\"}", true, "[BODY] ({\"name\": \"john.doe\"}) == pat(*john*)")]
    [InlineData("[BODY].name == pat(john*)", "{\"name\": \"john.doe\"}", true, "[BODY].name (john.doe) == pat(john*)")]
    [InlineData("[BODY].name == pat(bob*)", "{\"name\": \"john.doe\"}", false, "[BODY].name (john.doe) == pat(bob*)")]
    [InlineData("[BODY].name != pat(bob*)", "{\"name\": \"john.doe\"}", true, "[BODY].name (john.doe) != pat(bob*)")]
    [InlineData("[BODY].data == pat(*Whatever*)", "{\"data\": [\"hello\", \"world\", \"Whatever\"]}", true, "[BODY].data ([hello world Whatever]) == pat(*Whatever*)")]
    [InlineData("[BODY].path == pat(/api/*)", "{\"path\": \"/api/v1/users\"}", true, "[BODY].path (/api/v1/users) == pat(/api/*)")]
    [InlineData("[BODY].code == pat(E?1)", "{\"code\": \"E01\"}", true, "[BODY].code (E01) == pat(E?1)")]
    [InlineData("[BODY].code == pat(E?1)", "{\"code\": \"E001\"}", false, "[BODY].code (E001) == pat(E?1)")]
    [InlineData("[BODY].grade == pat([A-C])", "{\"grade\": \"B\"}", true, "[BODY].grade (B) == pat([A-C])")]
    [InlineData("[BODY].grade == pat([^A-C])", "{\"grade\": \"B\"}", false, "[BODY].grade (B) == pat([^A-C])")]
    [InlineData("[BODY].name == any(john.doe, jane.doe)", "{\"name\": \"john.doe\"}", true, "[BODY].name (john.doe) == any(john.doe, jane.doe)")]
    [InlineData("[BODY].name == any(john.doe, jane.doe)", "{\"name\": \"jane.doe\"}", true, "[BODY].name (jane.doe) == any(john.doe, jane.doe)")]
    [InlineData("[BODY].name == any(john.doe, jane.doe)", "{\"name\": \"bob\"}", false, "[BODY].name (bob) == any(john.doe, jane.doe)")]
    [InlineData("[BODY].name != any(john.doe, jane.doe)", "{\"name\": \"bob\"}", true, "[BODY].name (bob) != any(john.doe, jane.doe)")]
    [InlineData("[BODY].name == any(john.doe)", "{}", false, "[BODY].name (INVALID) == any(john.doe)")]
    [InlineData("pat(john*) == [BODY].name", "{\"name\": \"john.doe\"}", true, "pat(john*) == [BODY].name (john.doe)")]
    [InlineData("pat(*Whatever*) == [BODY].data", "{\"data\": [\"hello\", \"Whatever\"]}", true, "pat(*Whatever*) == [BODY].data ([hello Whatever])")]
    [InlineData("any(john.doe, jane.doe) == [BODY].name", "{\"name\": \"jane.doe\"}", true, "any(john.doe, jane.doe) == [BODY].name (jane.doe)")]
    [InlineData("any(john.doe) != [BODY].name", "{}", false, "any(john.doe) != [BODY].name (INVALID)")]
    public void Evaluate_PatAndAny_ReturnsExpectedResult(string text, string body, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("john.doe", true, "[BODY] (<!DOCTYPE html><html lang...(truncated)) == pat(*<div id=\"user\">john.doe</div>*)")]
    [InlineData("jane.doe", false, "[BODY] (<!DOCTYPE html><html lang...(truncated)) == pat(*<div id=\"user\">john.doe</div>*)")]
    public void Evaluate_PatternOnHtmlBody_TruncatesToGatusLength(string user, bool success, string resolved)
    {
        var result = Evaluate("[BODY] == pat(*<div id=\"user\">john.doe</div>*)", new ProbeResponse { Body = string.Format(Html, user) });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Fact]
    public void Evaluate_OneMebibyteBody_KeepsResolvedTextShort()
    {
        var body = new string('x', 1024 * 1024);

        var result = Evaluate("[BODY] == OK", new ProbeResponse { Body = body, BodyTruncated = true });

        Assert.False(result.Success);
        Assert.Equal($"[BODY] ({new string('x', 50)}...(truncated)) == OK", result.Resolved);
    }

    [Fact]
    public void Evaluate_SameConditionTwice_GivesSameResultForEachResponse()
    {
        Assert.True(Condition.TryParse("[BODY].status == UP", out var condition, out _));

        var up = condition.Evaluate(new ProbeResponse { Body = "{\"status\":\"UP\"}" }, Now);
        var down = condition.Evaluate(new ProbeResponse { Body = "{\"status\":\"DOWN\"}" }, Now);

        Assert.True(up.Success);
        Assert.False(down.Success);
        Assert.Equal("[BODY].status (DOWN) == UP", down.Resolved);
    }
}
