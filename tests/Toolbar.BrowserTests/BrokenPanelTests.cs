using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>A panel that fails must show its error inside itself while the page and the other panels keep working.</summary>
[Collection(BrowserCollection.Name)]
public class BrokenPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Broken_panel_shows_its_error_box_and_another_panel_still_opens()
    {
        await using var server = new BrokenPanelServer();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var session = new PageSession(context, await context.NewPageAsync(), server.BaseUrl);
        await session.GotoAsync("/products");

        var broken = await session.OpenPanelAsync("broken");
        await Assertions.Expect(broken.Locator(".tb-error")).ToHaveTextAsync("This panel failed to render: InvalidOperationException: broken view");
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("/products");
        await Assertions.Expect(session.Page.Locator("table.products tbody tr")).ToHaveCountAsync(10);
        await session.ScreenshotAsync("broken-panel-isolated");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    /// <summary>The sample app plus a panel whose view throws.</summary>
    private sealed class BrokenPanelServer : SampleServer
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddToolbarPanel<ThrowingViewPanel>());
        }
    }

    public sealed class ThrowingViewPanel : ToolbarPanel<ThrowingViewData>
    {
        public override string Id => "broken";

        public override string Title => "Broken";

        public override Type? ViewType => typeof(ThrowingView);

        public override void OnRequestFinished(PanelContext context) => context.SetData(new ThrowingViewData());
    }

    public sealed class ThrowingViewData
    {
        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;
    }

    public sealed class ThrowingView : PanelView<ThrowingViewData>
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder) => throw new InvalidOperationException("broken view");
    }
}
