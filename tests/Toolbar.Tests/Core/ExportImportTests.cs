using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Toolbar.Tests.Infrastructure;
using Toolbar.Tests.Panels.Sql;

namespace Toolbar.Tests.Core;

/// <summary>Export of one record as a JSON file, and its import as a new record.</summary>
public sealed class ExportImportTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public ExportImportTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Export_is_the_record_json_as_an_attachment_named_after_path_and_id()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.GetAsync($"/_toolbar/api/requests/{id}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"toolbar-products-{id}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var exported = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var record = JsonNode.Parse(await client.GetStringAsync($"/_toolbar/api/requests/{id}"))!;
        Assert.True(JsonNode.DeepEquals(record, exported));
    }

    [Fact]
    public async Task An_export_larger_than_the_toolbars_usual_body_limit_still_imports()
    {
        // Records of pages with many queries run past a megabyte, the limit of the toolbar's other endpoints.
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var file = await client.GetByteArrayAsync($"/_toolbar/api/requests/{id}/export");
        var padded = file.Concat(Enumerable.Repeat((byte)' ', 3 * 1024 * 1024)).ToArray();

        var response = await PostImportAsync(client, padded);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Export_of_an_unknown_id_is_404_problem_details()
    {
        var response = await _factory.CreateClient().GetAsync($"/_toolbar/api/requests/{new string('0', 32)}/export");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Export_then_import_gives_a_new_imported_record_with_the_same_panel_data()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var file = await client.GetByteArrayAsync($"/_toolbar/api/requests/{id}/export");

        var response = await PostImportAsync(client, file);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var newId = answer.GetProperty("id").GetString()!;
        Assert.NotEqual(id, newId);
        Assert.Equal($"/_toolbar/requests/{newId}", answer.GetProperty("url").GetString());
        var original = JsonNode.Parse(file)!;
        var imported = JsonNode.Parse(await client.GetStringAsync($"/_toolbar/api/requests/{newId}"))!;
        Assert.True(imported["imported"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(original["panels"], imported["panels"]));
        foreach (var field in new[] { "method", "path", "queryString", "statusCode", "durationMs", "startedAt" })
        {
            Assert.True(JsonNode.DeepEquals(original[field], imported[field]), field);
        }

        // The full-page view of the imported record renders its panels like any other record's.
        var sqlHtml = await client.GetStringAsync($"/_toolbar/requests/{newId}/panels/sql");
        Assert.Equal(11, sqlHtml.Split("data-sql-index=\"").Length - 1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(answer.GetProperty("url").GetString())).StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"method\":\"GET\"}")]
    [InlineData("{\"method\":\"GET\",\"path\":\"/\",\"panels\":{},\"statusCode\":\"oops\"}")]
    public async Task Malformed_file_is_400_problem_details_and_stores_nothing(string body)
    {
        var client = _factory.CreateClient();
        var before = (await client.GetFromJsonAsync<JsonElement>("/_toolbar/api/requests")).GetArrayLength();
        var response = await PostImportAsync(client, Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var after = (await client.GetFromJsonAsync<JsonElement>("/_toolbar/api/requests")).GetArrayLength();
        Assert.True(after <= before + 1); // the list request itself may be tracked, an import never
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>("/_toolbar/api/requests")).EnumerateArray(), r => r.GetProperty("path").GetString() == "/");
    }

    [Fact]
    public async Task File_over_eight_megabytes_is_413_problem_details()
    {
        var client = _factory.CreateClient();
        var big = Encoding.UTF8.GetBytes("{\"method\":\"GET\",\"path\":\"/\",\"panels\":{\"x\":\"" + new string('a', 8 * 1024 * 1024) + "\"}}");
        var response = await PostImportAsync(client, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Import_without_the_toolbar_header_is_refused()
    {
        var response = await _factory.CreateClient().PostAsync("/_toolbar/api/import", new ByteArrayContent("{}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Import_page_offers_a_file_chooser()
    {
        var html = await _factory.CreateClient().GetStringAsync("/_toolbar/import");
        Assert.Contains("type=\"file\"", html, StringComparison.Ordinal);
        Assert.Contains("/_toolbar/assets/import.js", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(document.domain)")]
    [InlineData(" JaVaScRiPt:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("\u0001javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    public async Task An_imported_records_editor_links_cannot_run_script(string hostileUrl)
    {
        // An imported file comes from someone else: its frames' editor links are shown as links in the app's origin.
        var client = _factory.CreateClient();
        var failed = await client.GetAsync("/error");
        var file = JsonNode.Parse(await client.GetByteArrayAsync($"/_toolbar/api/requests/{failed.Headers.GetValues("X-Toolbar-Id").Single()}/export"))!;
        var links = 0;
        foreach (var frame in file["panels"]!["exceptions"]!["exceptions"]!.AsArray().SelectMany(e => e!["frames"]!.AsArray()))
        {
            if (frame!["editorUrl"] is not null)
            {
                frame["editorUrl"] = hostileUrl;
                links++;
            }
        }

        Assert.True(links > 0);
        var response = await PostImportAsync(client, System.Text.Encoding.UTF8.GetBytes(file.ToJsonString()));
        var newId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var html = await client.GetStringAsync($"/_toolbar/requests/{newId}/panels/exceptions");
        Assert.Contains("Program.cs", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("msgbox(", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_apps_own_editor_links_are_kept()
    {
        var client = _factory.CreateClient();
        var failed = await client.GetAsync("/error");
        var html = await client.GetStringAsync($"/_toolbar/requests/{failed.Headers.GetValues("X-Toolbar-Id").Single()}/panels/exceptions");
        Assert.Contains("href=\"vscode://file/", html, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostImportAsync(HttpClient client, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/api/import") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Toolbar-Request", "1");
        return client.SendAsync(request);
    }
}
