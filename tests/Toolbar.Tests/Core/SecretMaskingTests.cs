using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>One masking rule, applied when a value is captured, so no surface (API, list, nav, panels, History, logs) sees a secret.</summary>
public class SecretMaskingTests
{
    private static readonly SecretMasker s_masker = new(new ToolbarOptions().SecretNames);

    [Theory]
    [InlineData("sessionid")]
    [InlineData("PHPSESSID")]
    [InlineData("connect.sid")]
    [InlineData("ASP.NET_SessionId")]
    [InlineData(".AspNetCore.Identity.Application")]
    [InlineData(".AspNetCore.Session")]
    [InlineData(".AspNetCore.Antiforgery.x1y2")]
    [InlineData("Pass")]
    [InlineData("Pwd")]
    [InlineData("Pat")]
    [InlineData("GitHub:Pat")]
    [InlineData("Credential")]
    [InlineData("Credentials")]
    [InlineData("ConnectionString")]
    [InlineData("ConnectionStrings:Default")]
    [InlineData("Passcode")]
    [InlineData("passphrase")]
    [InlineData("userPin")]
    [InlineData("PIN")]
    [InlineData("totp")]
    [InlineData("cvv")]
    [InlineData("card_cvc")]
    [InlineData("PasswordHash")]
    [InlineData("SecurityStamp")]
    public void Names_that_hold_secrets_are_secret(string name) => Assert.True(s_masker.IsSecret(name), name);

    [Theory]
    [InlineData("path")]
    [InlineData("Patient")]
    [InlineData("page")]
    [InlineData("Accept")]
    [InlineData("compass")]
    [InlineData("shipping")]
    [InlineData("UserName")]
    [InlineData("Email")]
    [InlineData("ConcurrencyStamp")]
    public void Ordinary_names_are_not_secret(string name) => Assert.False(s_masker.IsSecret(name), name);

    [Theory]
    [InlineData("postgres://user:pa55@db.internal:5432/app", "postgres://user:********@db.internal:5432/app")]
    [InlineData("redis://:r3dis@cache:6379", "redis://:********@cache:6379")]
    [InlineData("https://ghp_abc123@github.com/org/repo.git", "https://********@github.com/org/repo.git")]
    [InlineData("Host=db; Username = app; Password = x y z; Database=shop", "Host=db; Username = app; Password = ********; Database=shop")]
    [InlineData("Server=.;Pwd=abc;Trusted_Connection=False", "Server=.;Pwd=********;Trusted_Connection=False")]
    [InlineData("http://localhost/login?returnUrl=%2F&token=t0k&page=2", "http://localhost/login?returnUrl=%2F&token=********&page=2")]
    [InlineData("Request starting GET http://localhost/?password=hunter2 - -", "Request starting GET http://localhost/?password=******** - -")]
    [InlineData("?pass%77ord=x&a=1", "?pass%77ord=********&a=1")]
    [InlineData("Calling the API with Bearer abcDEF0123456789-._~+/xyz== now", "Calling the API with Bearer ******** now")]
    [InlineData("authorization: bearer 0123456789abcdef0123", "authorization: bearer ********")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnX1BhcnQtMQ was rejected", "token ******** was rejected")]
    [InlineData("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "unsigned ********")]
    public void Credentials_inside_values_are_masked(string value, string expected) => Assert.Equal(expected, s_masker.MaskValue(value));

    [Fact]
    public void A_value_without_credentials_is_returned_as_is()
    {
        var value = "text/html,application/xhtml+xml;q=0.9, user@example.com";
        Assert.Same(value, s_masker.MaskValue(value));
        foreach (var prose in new[] { "the bearer of this note", "Bearer tokens are short-lived", "eyJ is how JSON starts in base64" })
        {
            Assert.Same(prose, s_masker.MaskValue(prose));
        }

        var query = "?page=2&sort=name";
        Assert.Same(query, s_masker.MaskQueryString(query));
    }

    [Fact]
    public void Long_values_are_cut_and_keep_their_true_length()
    {
        var masker = new SecretMasker(Microsoft.Extensions.Options.Options.Create(new ToolbarOptions { MaxValueLength = 100 }));
        var cut = masker.Truncate(new string('x', 5000));
        Assert.Equal(new string('x', 100) + "…[5000 chars]", cut);
        Assert.Equal("short", masker.Truncate("short"));
    }

    [Fact]
    public async Task No_surface_shows_a_secret_from_the_query_referer_cookies_form_or_logs()
    {
        string[] secrets = ["hunter2-q", "tok3n-q", "referer-t0k", "sess-1", "phpsess-2", "connect-3", "aspnet-4", "form-pass-5", "form-pin-6"];
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            if (ctx.Request.HasFormContentType)
            {
                await ctx.Request.ReadFormAsync();
            }

            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("App").LogWarning("Handling {Url}", ctx.Request.GetDisplayUrl());
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>page</body></html>");
        });

        var request = new HttpRequestMessage(HttpMethod.Post, "/login?password=hunter2-q&token=tok3n-q&page=2")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Passcode"] = "form-pass-5", ["userPin"] = "form-pin-6", ["email"] = "a@b.c" }),
        };
        request.Headers.Referrer = new Uri("http://localhost/start?token=referer-t0k&lang=en");
        request.Headers.Add("Cookie", "sessionid=sess-1; PHPSESSID=phpsess-2; connect.sid=connect-3; .AspNetCore.Session=aspnet-4; theme=dark");
        var response = await app.Client.SendAsync(request);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var surfaces = new Dictionary<string, string>
        {
            ["list"] = await app.Client.GetStringAsync("/_toolbar/api/requests"),
            ["record"] = await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}"),
            ["nav"] = await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar"),
            ["request panel"] = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/request"),
            ["logs panel"] = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/logs"),
            ["history panel"] = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/history"),
            ["history entries"] = await app.Client.GetStringAsync("/_toolbar/panels/history/entries"),
        };

        foreach (var (surface, body) in surfaces)
        {
            foreach (var secret in secrets)
            {
                Assert.False(body.Contains(secret, StringComparison.Ordinal), $"{surface} shows {secret}");
            }
        }

        // What is not secret is still there, so the checks above looked at real content.
        using var record = JsonDocument.Parse(surfaces["record"]);
        Assert.Equal("?password=********&token=********&page=2", record.RootElement.GetProperty("queryString").GetString());
        Assert.Contains("page=2", surfaces["nav"]);
        Assert.Contains("page=2", surfaces["list"]);
        var requestData = record.RootElement.GetProperty("panels").GetProperty("request");
        Assert.Equal("http://localhost/start?token=********&lang=en", requestData.GetProperty("headers").GetProperty("Referer").GetString());
        Assert.Equal("dark", requestData.GetProperty("cookies").GetProperty("theme").GetString());
        Assert.Equal(SecretMasker.Mask, requestData.GetProperty("cookies").GetProperty("connect.sid").GetString());
        Assert.Equal("a@b.c", requestData.GetProperty("form").GetProperty("email").GetString());
        Assert.Contains("Handling http://localhost/login?password=********", surfaces["record"]);
    }

    [Fact]
    public async Task Configuration_credentials_are_masked_by_key_and_inside_values()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Db:Url"] = "postgres://app:pg-secret-1@db.internal/shop",
            ["Legacy:Db"] = "Server=db; Password = cs-secret-2; Database=shop",
            ["Smtp:Pass"] = "pass-secret-3",
            ["Ftp:Pwd"] = "pwd-secret-4",
            ["GitHub:Pat"] = "pat-secret-5",
            ["Aws:Credentials"] = "cred-secret-6",
            ["Search:ConnectionString"] = "cs-secret-7",
            ["Feature:Name"] = "visible-value",
        }).Build();
        await using var app = await MiniApp.StartAsync(
            ctx => ctx.Response.WriteAsync("ok"),
            services: s => s.AddSingleton<IConfiguration>(configuration));
        var id = (await app.Client.GetAsync("/")).Headers.GetValues("X-Toolbar-Id").Single();
        var json = await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}");
        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/config");
        foreach (var body in new[] { json, html })
        {
            for (var i = 1; i <= 7; i++)
            {
                Assert.DoesNotContain($"secret-{i}", body);
            }
        }

        Assert.Contains("visible-value", json);
        Assert.Contains("postgres://app:********@db.internal/shop", json);
        Assert.Contains("Server=db; Password = ********; Database=shop", json);
    }
}
