using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Toolbar.Stores;

namespace Toolbar.Internal;

/// <summary>
/// Export and import of one record: <c>GET {prefix}/api/requests/{id}/export</c> downloads it as JSON (already masked,
/// as it was stored), <c>POST {prefix}/api/import</c> stores such a file again as a new, imported record, and
/// <c>GET {prefix}/import</c> is the page that posts one.
/// </summary>
internal static class RecordTransfer
{
    /// <summary>Largest file the import accepts: far above a real record, small enough to hold in memory.</summary>
    public const int MaxImportBytes = 8 * 1024 * 1024;

    /// <summary><c>toolbar-&lt;path&gt;-&lt;id&gt;.json</c>, the path reduced to letters, digits and dashes.</summary>
    public static string FileName(RequestRecord record)
    {
        var path = new StringBuilder();
        foreach (var c in record.Path)
        {
            if (path.Length >= 40)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                path.Append(char.ToLowerInvariant(c));
            }
            else if (path.Length > 0 && path[^1] != '-')
            {
                path.Append('-');
            }
        }

        var name = path.ToString().Trim('-');
        var id = new string(record.Id.Where(char.IsAsciiLetterOrDigit).ToArray());
        return "toolbar-" + (name.Length == 0 ? "root" : name) + "-" + id + ".json";
    }

    public static async Task<IResult> ImportAsync(HttpContext http, IToolbarStore store, ToolbarRuntime runtime)
    {
        if (http.Request.ContentLength > MaxImportBytes)
        {
            return TooLarge();
        }

        var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxImportBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        RequestRecord record;
        try
        {
            var node = JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length), documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
            if (node is not JsonObject json
                || json["method"] is not JsonValue method || method.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty(method.GetValue<string>())
                || json["path"] is not JsonValue path || path.GetValueKind() != JsonValueKind.String
                || json["panels"] is not JsonObject)
            {
                return Invalid("The file is not an exported toolbar record: it needs \"method\", \"path\" and \"panels\".");
            }

            // A new id: the import never overwrites a record, and the file's id may well still be stored.
            json["id"] = RequestRecord.NewId();
            json["imported"] = true;
            record = RecordSerializer.Deserialize(Encoding.UTF8.GetBytes(json.ToJsonString()), runtime);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return Invalid("The file is not valid toolbar JSON: " + ex.Message);
        }

        await store.AddAsync(record, http.RequestAborted);
        var url = http.Request.PathBase + runtime.Prefix + "/requests/" + record.Id;
        return Results.Json(new { id = record.Id, url }, ToolbarJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The import page: choose a file, it is posted and the toolbar's full-page view of it opens.</summary>
    public static IResult Page(HttpContext http, ToolbarRuntime runtime)
    {
        var prefix = HtmlEncoder.Default.Encode(http.Request.PathBase + runtime.Prefix);
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Toolbar · import a request</title>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"" + prefix + "/assets/favicon.svg\"></head>"
            + "<body class=\"toolbar-page\"><main>"
            + "<h1>Open an exported request</h1>"
            + "<p>Choose a JSON file downloaded with “Export” (at most " + (MaxImportBytes / 1024 / 1024) + " MB); it is stored as a new, imported request and shown in the toolbar.</p>"
            + "<form id=\"toolbar-import\" data-toolbar-prefix=\"" + prefix + "\" data-toolbar-max-bytes=\"" + MaxImportBytes + "\">"
            + "<label for=\"toolbar-import-file\">Exported request (JSON)</label> "
            + "<input id=\"toolbar-import-file\" name=\"file\" type=\"file\" accept=\"application/json,.json\" required> "
            + "<button type=\"submit\">Open</button></form>"
            + "<p id=\"toolbar-import-status\" role=\"status\" aria-live=\"polite\"></p>"
            + "</main><script src=\"" + prefix + "/assets/import.js\" defer></script></body></html>";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static IResult TooLarge() => Results.Problem(
        title: "The file is too large.",
        detail: $"An exported request may be at most {MaxImportBytes / 1024 / 1024} MB.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    private static IResult Invalid(string detail) => Results.Problem(title: "The file cannot be imported.", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
