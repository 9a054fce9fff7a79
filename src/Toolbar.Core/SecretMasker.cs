using Microsoft.Extensions.Options;

namespace Toolbar;

/// <summary>
/// Decides which names (headers, cookies, form fields, configuration keys, SQL parameters) hold
/// secrets, from <see cref="ToolbarOptions.SecretNames"/>. Panels mask such values before storing
/// them, so a secret never reaches the JSON API or the panel HTML.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Mask = "********";

    private const int MaxRememberedNames = 2048;

    private readonly string[] _parts;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    /// <summary>Creates a masker from the configured secret names.</summary>
    public SecretMasker(IOptions<ToolbarOptions> options)
        : this(options.Value.SecretNames)
    {
    }

    /// <summary>Creates a masker from a list of name parts.</summary>
    public SecretMasker(IEnumerable<string> secretNameParts)
    {
        ArgumentNullException.ThrowIfNull(secretNameParts);
        _parts = secretNameParts.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Whether a value under this name is a secret.</summary>
    public bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // The same few names (headers, cookies, keys) come back on every request: remember the answer, within a
        // bound, since names are also client input.
        if (_known.TryGetValue(name, out var known))
        {
            return known;
        }

        var secret = false;
        foreach (var part in _parts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                secret = true;
                break;
            }
        }

        if (_known.Count < MaxRememberedNames)
        {
            _known.TryAdd(name, secret);
        }

        return secret;
    }

    /// <summary>The value to show for <paramref name="name"/>: <see cref="Mask"/> when it is a secret.</summary>
    public string? Apply(string name, string? value) => value is null ? null : IsSecret(name) ? Mask : value;
}
