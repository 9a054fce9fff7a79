using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Toolbar.Tests.Stores;
using Toolbar.TestSupport;

namespace Toolbar.PackageTests;

/// <summary>
/// The packages installed as a new user installs them: fresh <c>dotnet new</c> projects, <c>dotnet add package</c>,
/// the README's two lines, build, run, look at the result over HTTP.
/// </summary>
public sealed partial class InstallTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    // The README's two lines, exactly, placed where its install section says.
    private const string AddLine = "builder.Services.AddDebugToolbar();";
    private const string UseLine = "app.UseDebugToolbar();";

    [GeneratedRegex("<div id=\"toolbar-root\" data-toolbar-id=\"(?<id>[0-9a-f]{32})\"[^>]*></div><script src=\"/_toolbar/assets/toolbar.js\"[^>]*></script>\\s*</body>")]
    private static partial Regex Snippet();

    [Fact]
    public async Task Webapp_gets_the_toolbar_from_the_package_and_shares_records_through_Redis()
    {
        var dir = await NewAppAsync("webapp", "ShopPages");
        await DotNet.RunAsync(dir, "add", "package", "Toolbar", "--version", feed.Version);
        AddReadmeLines(dir);
        await DotNet.RunAsync(dir, "build", "-c", "Release", "-nodeReuse:false");
        var dll = Path.Combine(dir, "bin", "Release", "net10.0", "ShopPages.dll");

        await using (var app = await RunningApp.StartAsync(dll))
        {
            using var page = await app.Client.GetAsync("/Privacy");
            var html = await page.Content.ReadAsStringAsync();
            var match = Snippet().Match(html);
            Assert.True(match.Success, "no toolbar snippet before </body>:\n" + html);
            Assert.Equal(match.Groups["id"].Value, page.Headers.GetValues("X-Toolbar-Id").Single());
            var routes = await RoutesAsync(app.Client, match.Groups["id"].Value);
            Assert.Contains("Privacy", routes.GetProperty("matched").GetProperty("pattern").GetString(), StringComparison.Ordinal);
            Assert.Contains(routes.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("pattern").GetString()!.Contains("Index", StringComparison.Ordinal));
        }

        // Redis selected without the package: the app refuses to start and names the package.
        using var redis = await RedisServer.StartAsync();
        var redisSettings = new Dictionary<string, string> { ["Toolbar__Store"] = "redis", ["Toolbar__Redis"] = redis.Configuration };
        var (exitCode, output) = await RunningApp.RunToExitAsync(dll, redisSettings);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("dotnet add package Toolbar.Redis", output, StringComparison.Ordinal);

        await DotNet.RunAsync(dir, "add", "package", "Toolbar.Redis", "--version", feed.Version);
        await DotNet.RunAsync(dir, "build", "-c", "Release", "-nodeReuse:false");
        await using var first = await RunningApp.StartAsync(dll, redisSettings);
        await using var second = await RunningApp.StartAsync(dll, redisSettings);
        using var home = await first.Client.GetAsync("/");
        var id = home.Headers.GetValues("X-Toolbar-Id").Single();

        // The other instance serves the record: it can only have it from Redis.
        var shared = await EventuallyAsync(second.Client, $"/_toolbar/api/requests/{id}");
        Assert.Equal("/", shared.GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Object, shared.GetProperty("panels").GetProperty("routes").GetProperty("matched").ValueKind);
    }

    [Fact]
    public async Task Webapi_gets_the_toolbar_from_the_package_with_routes_data_and_json_left_alone()
    {
        var dir = await NewAppAsync("webapi", "ShopApi", "--no-openapi");
        await DotNet.RunAsync(dir, "add", "package", "Toolbar", "--version", feed.Version);
        AddReadmeLines(dir);
        await DotNet.RunAsync(dir, "build", "-c", "Release", "-nodeReuse:false");

        await using var app = await RunningApp.StartAsync(Path.Combine(dir, "bin", "Release", "net10.0", "ShopApi.dll"));
        using var response = await app.Client.GetAsync("/weatherforecast");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json).RootElement.ValueKind);
        Assert.DoesNotContain("toolbar-root", json, StringComparison.Ordinal);
        var routes = await RoutesAsync(app.Client, response.Headers.GetValues("X-Toolbar-Id").Single());
        Assert.Equal("/weatherforecast", routes.GetProperty("matched").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Template_package_installs_and_generates_a_panel_whose_test_passes()
    {
        var hive = Path.Combine(feed.Root, "hive");
        var output = Path.Combine(feed.Root, "Acme");
        var template = Path.Combine(feed.Feed, $"Toolbar.Templates.{feed.Version}.nupkg");

        await DotNet.RunAsync(feed.Root, "new", "install", template, "--debug:custom-hive", hive);
        await DotNet.RunAsync(feed.Root, "new", "toolbar-panel", "-n", "Acme", "-o", output, "--ToolbarVersion", feed.Version, "--debug:custom-hive", hive);
        var test = await DotNet.RunAsync(output, "test", "-nodeReuse:false");

        Assert.Contains("Passed!  - Failed:     0, Passed:     1, Skipped:     0, Total:     1", test, StringComparison.Ordinal);
        // The generated panel uses the packages just packed, not a project of this repository.
        var assets = await File.ReadAllTextAsync(Path.Combine(output, "Acme", "obj", "project.assets.json"));
        Assert.Contains($"\"Toolbar/{feed.Version}\"", assets, StringComparison.Ordinal);
    }

    private async Task<string> NewAppAsync(string template, string name, params string[] options)
    {
        var dir = Path.Combine(feed.Root, name);
        await DotNet.RunAsync(feed.Root, ["new", template, "-n", name, "-o", dir, .. options]);
        return dir;
    }

    private static void AddReadmeLines(string dir)
    {
        var path = Path.Combine(dir, "Program.cs");
        var program = File.ReadAllText(path);
        program = program.Replace("var builder = WebApplication.CreateBuilder(args);", "var builder = WebApplication.CreateBuilder(args);\n" + AddLine, StringComparison.Ordinal);
        program = program.Replace("var app = builder.Build();", "var app = builder.Build();\n" + UseLine, StringComparison.Ordinal);
        Assert.Contains(AddLine, program, StringComparison.Ordinal);
        Assert.Contains(UseLine, program, StringComparison.Ordinal);
        // No `using Toolbar;`: the two lines must compile with the usings a new project already has.
        Assert.DoesNotContain("using Toolbar", program, StringComparison.Ordinal);
        File.WriteAllText(path, program);
    }

    private static async Task<JsonElement> RoutesAsync(HttpClient client, string id)
    {
        var record = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        return record.GetProperty("panels").GetProperty("routes");
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient client, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} answered {response.StatusCode}");
            await Task.Delay(200);
        }
    }
}
