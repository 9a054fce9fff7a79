using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>The public <see cref="ToolbarPanel.Compare(object, object)"/> hook: a panel's own diff, and its failure kept to itself.</summary>
public sealed class ComparePanelHookTests
{
    [Fact]
    public async Task A_panel_compares_its_own_data_and_one_that_throws_breaks_only_its_entry()
    {
        await using var app = await MiniApp.StartAsync(
            ctx => ctx.Response.WriteAsync("ok"),
            o =>
            {
                o.Panels.Add<LengthPanel>();
                o.Panels.Add<FailingComparePanel>();
            });
        var a = await IdOf(app, "/ab");
        var b = await IdOf(app, "/abcdef");

        var compare = await app.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/compare?a={a}&b={b}");

        var length = compare.GetProperty("panels").GetProperty("length");
        Assert.Equal(3, length.GetProperty("a").GetInt32());
        Assert.Equal(7, length.GetProperty("b").GetInt32());
        Assert.Equal(4, length.GetProperty("delta").GetInt32());
        Assert.Contains("failed to compare", compare.GetProperty("panels").GetProperty("failing").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("/abcdef", compare.GetProperty("b").GetProperty("path").GetString());
    }

    private static async Task<string> IdOf(MiniApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        return response.Headers.GetValues("X-Toolbar-Id").Single();
    }

    public sealed class LengthData
    {
        public int Length { get; set; }
    }

    public sealed class LengthPanel : ToolbarPanel<LengthData>
    {
        public override string Id => "length";

        public override string Title => "Length";

        public override void OnRequestFinished(PanelContext context) => context.SetData(new LengthData { Length = context.HttpContext.Request.Path.Value!.Length });

        protected override object? Compare(LengthData a, LengthData b) => new { a = a.Length, b = b.Length, delta = b.Length - a.Length };
    }

    public sealed class FailingComparePanel : ToolbarPanel<LengthData>
    {
        public override string Id => "failing";

        public override string Title => "Failing";

        public override void OnRequestFinished(PanelContext context) => context.SetData(new LengthData());

        protected override object? Compare(LengthData a, LengthData b) => throw new InvalidOperationException("compare failed on purpose");
    }
}
