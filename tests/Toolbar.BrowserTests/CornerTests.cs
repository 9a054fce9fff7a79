using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// The handle can sit in any of the four corners (chosen in the nav, or by dragging it), remembered per browser; the
/// drawer comes out on the handle's side and its controls stay inside the viewport, also on a narrow one.
/// </summary>
[Collection(BrowserCollection.Name)]
public class CornerTests(BrowserFixture browser)
{
    private async Task<PageSession> NewPageAsync(int width, int height, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        return new PageSession(context, await context.NewPageAsync(), browser.Server.BaseUrl);
    }

    private static void InViewport(LocatorBoundingBoxResult? box, int width, int height, string what)
    {
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= width + 0.5 && box.Y + box.Height <= height + 0.5,
            $"{what} at ({box.X}, {box.Y}) {box.Width}×{box.Height} leaves the {width}×{height} viewport");
    }

    /// <summary>The handle's distance from the corner's two edges (12 px each when it sits in that corner).</summary>
    private static async Task AssertHandleInAsync(IPage page, string corner, int width, int height)
    {
        var box = await page.Locator("[data-toolbar-handle]").BoundingBoxAsync();
        Assert.NotNull(box);
        var dx = corner.EndsWith("left", StringComparison.Ordinal) ? box.X : width - (box.X + box.Width);
        var dy = corner.StartsWith("top", StringComparison.Ordinal) ? box.Y : height - (box.Y + box.Height);
        Assert.True(Math.Abs(dx - 12) < 1 && Math.Abs(dy - 12) < 1, $"{corner}: handle at ({box.X}, {box.Y}) {box.Width}×{box.Height}");
    }

    [Fact]
    public async Task Each_corner_keeps_handle_nav_and_panel_controls_on_screen_and_the_choice_survives_reload()
    {
        const int Width = 1400, Height = 900;
        await using var session = await NewPageAsync(Width, Height);
        await session.GotoAsync("/products");
        await AssertHandleInAsync(session.Page, "bottom-right", Width, Height); // the default
        foreach (var corner in new[] { "top-left", "bottom-left", "top-right", "bottom-right", "top-left" })
        {
            await session.OpenPanelAsync("sql");
            await session.Page.Locator("[data-toolbar-corner]").SelectOptionAsync(corner);
            var nav = await session.Page.Locator(".tb-nav").BoundingBoxAsync();
            InViewport(nav, Width, Height, $"{corner}: nav");
            // The drawer comes out on the handle's side.
            Assert.True(corner.EndsWith("left", StringComparison.Ordinal) ? nav!.X < 1 : nav!.X + nav.Width > Width - 1, $"{corner}: nav at {nav.X}");
            InViewport(await session.Page.Locator(".tb-content-head button").BoundingBoxAsync(), Width, Height, $"{corner}: close button");
            InViewport(await session.Page.Locator(".tb-hide").BoundingBoxAsync(), Width, Height, $"{corner}: hide button");
            InViewport(await session.Page.Locator(".tb-content").BoundingBoxAsync(), Width, Height, $"{corner}: panel");
            if (corner == "top-left")
            {
                await session.ScreenshotAsync("corner-top-left-open");
            }

            await session.Page.Locator(".tb-hide").ClickAsync();
            await AssertHandleInAsync(session.Page, corner, Width, Height);
        }

        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).Not.ToHaveTextAsync("…");
        await AssertHandleInAsync(session.Page, "top-left", Width, Height);
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        await Assertions.Expect(session.Page.Locator("[data-toolbar-corner]")).ToHaveValueAsync("top-left");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Dragging_the_handle_drops_it_in_the_nearest_corner_without_opening_the_toolbar()
    {
        const int Width = 1400, Height = 900;
        await using var session = await NewPageAsync(Width, Height, ColorScheme.Dark);
        await session.GotoAsync("/products");
        var handle = session.Page.Locator("[data-toolbar-handle]");
        var box = (await handle.BoundingBoxAsync())!;
        await session.Page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await session.Page.Mouse.DownAsync();
        await session.Page.Mouse.MoveAsync(200, 150, new MouseMoveOptions { Steps = 12 });
        await session.Page.Mouse.UpAsync();

        await AssertHandleInAsync(session.Page, "top-left", Width, Height);
        await Assertions.Expect(handle).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.Equal("top-left", await session.Page.EvaluateAsync<string>("() => localStorage.getItem('toolbar.corner')"));
        await session.ScreenshotAsync("corner-top-left-dragged");

        // A click is still a click.
        await handle.ClickAsync();
        await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeVisibleAsync();
        await session.OpenPanelAsync("timing");
        await session.ScreenshotAsync("corner-top-left-dark");
        await session.Page.Locator(".tb-hide").ClickAsync();

        // Dragged to the lower right half again.
        box = (await handle.BoundingBoxAsync())!;
        await session.Page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await session.Page.Mouse.DownAsync();
        await session.Page.Mouse.MoveAsync(Width - 300, Height - 200, new MouseMoveOptions { Steps = 12 });
        await session.Page.Mouse.UpAsync();
        await AssertHandleInAsync(session.Page, "bottom-right", Width, Height);
        await Assertions.Expect(handle).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.Empty(session.ConsoleErrors);
    }

    [Theory]
    [InlineData("top-left")]
    [InlineData("bottom-left")]
    [InlineData("top-right")]
    [InlineData("bottom-right")]
    public async Task On_a_narrow_viewport_every_corner_keeps_the_drawer_and_its_controls_inside(string corner)
    {
        // 200 % zoom of a 1280×800 window.
        const int Width = 640, Height = 400;
        await using var session = await NewPageAsync(Width, Height);
        await session.GotoAsync("/products");
        await session.Page.EvaluateAsync("c => localStorage.setItem('toolbar.corner', c)", corner);
        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).Not.ToHaveTextAsync("…");
        await AssertHandleInAsync(session.Page, corner, Width, Height);

        await session.OpenPanelAsync("request");
        await session.ScreenshotAsync($"corner-narrow-{corner}");
        InViewport(await session.Page.Locator(".tb-drawer").BoundingBoxAsync(), Width, Height, "drawer");
        InViewport(await session.Page.Locator(".tb-content-head button").BoundingBoxAsync(), Width, Height, "close button");
        // The nav scrolls on its own (at most 45 % of the height here): its controls are reachable there.
        foreach (var selector in new[] { ".tb-hide", "[data-toolbar-follow]", "[data-toolbar-corner]" })
        {
            var control = session.Page.Locator(selector);
            await control.ScrollIntoViewIfNeededAsync();
            InViewport(await control.BoundingBoxAsync(), Width, Height, selector);
        }
        Assert.Empty(session.ConsoleErrors);
    }
}
