using Microsoft.AspNetCore.Http;
using Toolbar.Internal;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>What the toolbar's script tag takes from the page's Content-Security-Policy header.</summary>
public class PageSecurityPolicyTests
{
    private static string Attributes(params string[] policies)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentSecurityPolicy = policies;
        return PageSecurityPolicy.ScriptAttributes(headers);
    }

    [Fact]
    public void Without_a_policy_the_tag_gets_nothing() => Assert.Equal(string.Empty, PageSecurityPolicy.ScriptAttributes(new HeaderDictionary()));

    [Theory]
    [InlineData("script-src 'nonce-abc123' 'strict-dynamic'", " nonce=\"abc123\"")]
    [InlineData("default-src 'self' 'nonce-R2Vu+/=='", " nonce=\"R2Vu+/==\"")]
    [InlineData("SCRIPT-SRC 'NONCE-x_y-z'", " nonce=\"x_y-z\"")]
    [InlineData("script-src-elem 'nonce-elem'; script-src 'nonce-other'; style-src 'self'", " nonce=\"elem\"")]
    [InlineData("script-src 'self'; style-src 'self'", "")]
    [InlineData("default-src 'self'", "")]
    public void The_script_nonce_follows_the_directive_fallback_order(string policy, string expected) =>
        Assert.Equal(expected, Attributes(policy));

    [Fact]
    public void A_present_script_src_without_nonce_hides_the_default_src_nonce() =>
        Assert.Equal(" data-toolbar-style-nonce=\"d\"", Attributes("default-src 'nonce-d'; script-src 'self'"));

    [Fact]
    public void A_different_style_nonce_is_handed_over_separately() =>
        Assert.Equal(" nonce=\"s1\" data-toolbar-style-nonce=\"s2\"", Attributes("script-src 'nonce-s1'; style-src 'nonce-s2'"));

    [Theory]
    [InlineData("script-src 'nonce-a\"onload=alert(1)'")]
    [InlineData("script-src 'nonce-<x>'")]
    [InlineData("script-src 'nonce-'")]
    public void A_nonce_outside_the_base64_alphabet_never_reaches_the_html(string policy)
    {
        var attributes = Attributes(policy);
        Assert.DoesNotContain("nonce", attributes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("require-trusted-types-for 'script'", " data-toolbar-tt=\"policy\"")]
    [InlineData("require-trusted-types-for 'script'; trusted-types toolbar dompurify", " data-toolbar-tt=\"policy\"")]
    [InlineData("require-trusted-types-for 'script'; trusted-types *", " data-toolbar-tt=\"policy\"")]
    [InlineData("require-trusted-types-for 'script'; trusted-types dompurify", " data-toolbar-tt=\"blocked\"")]
    [InlineData("require-trusted-types-for 'script'; trusted-types 'none'", " data-toolbar-tt=\"blocked\"")]
    [InlineData("trusted-types dompurify", "")]
    public void Trusted_types_enforcement_and_the_toolbar_policy_are_reported(string policy, string expected) =>
        Assert.Equal(expected, Attributes(policy));

    [Fact]
    public void Every_policy_applies_whether_in_one_header_or_several()
    {
        Assert.Equal(" nonce=\"n\" data-toolbar-tt=\"blocked\"", Attributes("script-src 'nonce-n', require-trusted-types-for 'script'; trusted-types other"));
        Assert.Equal(" nonce=\"n\" data-toolbar-tt=\"blocked\"", Attributes("script-src 'nonce-n'; trusted-types toolbar", "require-trusted-types-for 'script'; trusted-types other"));
    }

    [Fact]
    public async Task The_injected_script_carries_the_nonce_of_the_page_policy_set_before_the_body()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            ctx.Response.Headers.ContentSecurityPolicy = "script-src 'nonce-Zm9v' 'strict-dynamic'";
            await ctx.Response.WriteAsync("<html><body><script nonce=\"Zm9v\">1</script></body></html>");
        });
        var response = await app.Client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" nonce=\"Zm9v\" defer></script></body>", body, StringComparison.Ordinal);
    }
}
