using System.Text;
using System.Text.Json;
using Toolbar.Panels.History;
using Toolbar.Panels.Request;
using Toolbar.Stores;

namespace Toolbar.Tests.Stores;

public class RecordSerializerTests
{
    private static RequestRecord SampleRecord()
    {
        var record = new RequestRecord("POST", "/orders/7", "?x=1&y=%3Cb%3E")
        {
            StatusCode = 302,
            DurationMs = 12.345,
            ContentType = "text/html; charset=utf-8",
            IsAjax = true,
        };
        record.Panels["request"] = new RequestData
        {
            Method = "POST",
            Path = "/orders/7",
            Headers = new() { ["Accept"] = "text/html", ["X-Odd"] = "<é & \"quotes\">" },
            RouteValues = new() { ["id"] = "7", ["none"] = null },
            Claims = [new("name", "ann")],
            StatusCode = 302,
        };
        record.Panels["history"] = new HistoryData { RedirectLocation = "/orders" };
        record.PanelErrors["logs"] = "OnRequestFinished: InvalidOperationException: boom";
        return record;
    }

    [Fact]
    public void Round_trip_keeps_the_record_and_types_panel_data_by_panel()
    {
        using var services = StoreTestPanels.Services();
        var runtime = services.Runtime();
        var original = SampleRecord();

        var copy = RecordSerializer.Deserialize(RecordSerializer.Serialize(original, runtime), runtime);

        Assert.Equal((original.Id, "POST", "/orders/7", "?x=1&y=%3Cb%3E", 302, 12.345, original.StartedAt, "text/html; charset=utf-8", true),
            (copy.Id, copy.Method, copy.Path, copy.QueryString, copy.StatusCode, copy.DurationMs, copy.StartedAt, copy.ContentType, copy.IsAjax));
        var request = Assert.IsType<RequestData>(copy.Panels["request"]);
        Assert.Equal("<é & \"quotes\">", request.Headers["X-Odd"]);
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "7", ["none"] = null }, request.RouteValues);
        Assert.Equal([new KeyValuePair<string, string>("name", "ann")], request.Claims);
        Assert.Equal("/orders", Assert.IsType<HistoryData>(copy.Panels["history"]).RedirectLocation);
        Assert.Equal("OnRequestFinished: InvalidOperationException: boom", copy.PanelErrors["logs"]);
        Assert.True(copy.IsFinished);
    }

    [Fact]
    public void Serialized_record_is_the_json_api_shape()
    {
        using var services = StoreTestPanels.Services();
        var original = SampleRecord();

        using var json = JsonDocument.Parse(RecordSerializer.Serialize(original, services.Runtime()));

        var root = json.RootElement;
        Assert.Equal(original.Id, root.GetProperty("id").GetString());
        Assert.Equal(302, root.GetProperty("statusCode").GetInt32());
        Assert.Equal("/orders/7", root.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());
        Assert.Equal("/orders", root.GetProperty("panels").GetProperty("history").GetProperty("redirectLocation").GetString());
    }

    [Fact]
    public void Data_of_a_panel_this_app_lacks_is_kept_as_json()
    {
        using var services = StoreTestPanels.Services();
        var runtime = services.Runtime();
        var json = Encoding.UTF8.GetBytes("""
            {"id":"0123456789abcdef0123456789abcdef","method":"GET","path":"/","queryString":"","statusCode":200,"durationMs":1.5,
             "startedAt":"2026-01-02T03:04:05+00:00","contentType":null,"isAjax":false,
             "panels":{"acme":{"count":11,"durationMs":3.25}},"panelErrors":{}}
            """);

        var record = RecordSerializer.Deserialize(json, runtime);

        var sql = Assert.IsType<JsonElement>(record.Panels["acme"]);
        Assert.Equal(11, sql.GetProperty("count").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), record.StartedAt);
    }

    [Fact]
    public void Unreadable_panel_data_becomes_a_panel_error()
    {
        using var services = StoreTestPanels.Services();
        var json = Encoding.UTF8.GetBytes("""
            {"id":"0123456789abcdef0123456789abcdef","method":"GET","path":"/","queryString":"","statusCode":200,"durationMs":1,
             "startedAt":"2026-01-02T03:04:05+00:00","isAjax":false,"panels":{"request":{"headers":42}},"panelErrors":{}}
            """);

        var record = RecordSerializer.Deserialize(json, services.Runtime());

        Assert.False(record.Panels.ContainsKey("request"));
        Assert.StartsWith("stored data could not be read", record.PanelErrors["request"], StringComparison.Ordinal);
    }
}
