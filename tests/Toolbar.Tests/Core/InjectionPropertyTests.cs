using System.Text;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// For random documents cut into random writes (with random flushes), the output is the input with the
/// snippet before the last real &lt;/body&gt; (outside comments, script, style, textarea and title), or at the
/// end of a document that has none, byte for byte; non-injectable responses are byte-identical. The expected
/// output comes from a whole-document reference reader written independently of the streaming scanner.
/// </summary>
public class InjectionPropertyTests
{
    private static readonly string[] Pieces =
    [
        "<p>text</p>", "</body>", "</BODY>", "</Body>", "<", "</", "</b", "</bo", "</bod", "</body", "body>", ">", "<body>",
        "\n", "<script>var a = '</body>';</script>", "caf\u00e9 ", "\u6f22\u5b57", "<!-- </body> -->", "</html>", "x",
        "</bodyx>", "<</body>", "</ body>", "</BoDy >", "<style>p::after{content:'</body>'}</style>",
        "<textarea></body></textarea>", "<title>a </body> b</title>", "<div data-x=\"</body>\">", "<!DOCTYPE html>",
        "<script>", "</script>", "<!--", "-->", "<html>", "</body\n>", "<SCRIPT type=module>if (a </body/) {}</SCRIPT >",
    ];

    private static readonly System.Text.RegularExpressions.Regex s_tag = new(
        @"\G<(/?)([a-zA-Z][^\s/>]*)(?:[\s/][^>""']*(?:(?:""[^""]*""|'[^']*')[^>""']*)*)?>",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Offset of the last real end-body tag, and whether the text is a document (doctype, html, head or body tag).</summary>
    internal static (int LastEndBody, bool Document) Reference(string text)
    {
        var last = -1;
        var document = false;
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= text.Length)
            {
                break;
            }

            if (string.CompareOrdinal(text, lt, "<!--", 0, 4) == 0)
            {
                var close = text.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 3;
                continue;
            }

            var next = text[lt + 1];
            if (next is '!' or '?' || (next == '/' && lt + 2 < text.Length && !char.IsAsciiLetter(text[lt + 2]) && text[lt + 2] != '>'))
            {
                document |= next == '!' && lt + 2 < text.Length && char.ToLowerInvariant(text[lt + 2]) == 'd';
                var gt = text.IndexOf('>', lt);
                i = gt < 0 ? text.Length : gt + 1;
                continue;
            }

            var tag = s_tag.Match(text, lt);
            if (!tag.Success)
            {
                i = lt + 1;
                continue;
            }

            var name = tag.Groups[2].Value.ToLowerInvariant();
            i = tag.Index + tag.Length;
            if (tag.Groups[1].Value == "/")
            {
                last = name == "body" ? lt : last;
                continue;
            }

            document |= name is "html" or "head" or "body";
            if (name is "script" or "style" or "textarea" or "title")
            {
                var end = System.Text.RegularExpressions.Regex.Match(text[i..], "</" + name + @"[\s/>]", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                i = end.Success ? i + end.Index : text.Length;
            }
        }

        return (last, document);
    }

    private static byte[] RandomDocument(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(0, 40);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
            if (random.Next(10) == 0)
            {
                // Sometimes a long run, so writes cross the hold-back bound.
                builder.Append('y', random.Next(1, 70_000));
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static byte[] Expected(byte[] input, byte[] snippet)
    {
        var (index, document) = Reference(Encoding.Latin1.GetString(input));
        if (index >= 0 && input.Length - index <= 64 * 1024)
        {
            return [.. input.AsSpan(0, index), .. snippet, .. input.AsSpan(index)];
        }

        return document ? [.. input, .. snippet] : input;
    }

    private static string Snippet(string id) =>
        $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"/_toolbar\"></div>"
        + "<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" defer></script>";

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("application/json", false)]
    [InlineData("text/plain", false)]
    public async Task Random_documents_in_random_chunks_are_exact(string contentType, bool injectable)
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var random = new Random(int.Parse(ctx.Request.Query["seed"]!));
            var document = RandomDocument(random);
            ctx.Response.ContentType = contentType;
            var offset = 0;
            while (offset < document.Length)
            {
                var size = Math.Min(document.Length - offset, random.Next(3) == 0 ? random.Next(1, 8) : random.Next(1, 20_000));
                if (random.Next(2) == 0)
                {
                    await ctx.Response.Body.WriteAsync(document.AsMemory(offset, size));
                }
                else
                {
                    document.AsSpan(offset, size).CopyTo(ctx.Response.BodyWriter.GetSpan(size));
                    ctx.Response.BodyWriter.Advance(size);
                    if (random.Next(2) == 0)
                    {
                        await ctx.Response.BodyWriter.FlushAsync();
                    }
                }

                if (random.Next(4) == 0)
                {
                    await ctx.Response.Body.FlushAsync();
                }

                offset += size;
            }
        });

        for (var seed = 1; seed <= 300; seed++)
        {
            var response = await app.Client.GetAsync($"/?seed={seed}");
            var actual = await response.Content.ReadAsByteArrayAsync();
            var input = RandomDocument(new Random(seed));
            var id = response.Headers.GetValues("X-Toolbar-Id").Single();
            var expected = injectable ? Expected(input, Encoding.UTF8.GetBytes(Snippet(id))) : input;
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"seed {seed}: {expected.Length} bytes expected, {actual.Length} received");
        }
    }
}
