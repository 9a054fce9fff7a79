using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Toolbar.Panels.Routes;

/// <summary>
/// Finds the routes most similar to a path nothing matched (like Django's debug 404 page), by a segment
/// edit distance in which a parameter fits any segment. This only ranks suggestions: whether a route
/// matches is always decided by the app's own matcher. For a route of the same shape it also tells which
/// constraint (evaluated by ASP.NET Core's own constraint implementation) or HTTP method rejected the path.
/// </summary>
internal static class NearestRoutes
{
    private const int MaxSegments = 32;
    private const int MaxSegmentLength = 128;

    public static IReadOnlyList<NearRoute> Find(RouteMapSnapshot map, string path, string method, HttpContext? context, ParameterPolicyFactory? policies, int max = 5)
    {
        var segments = Split(path);
        var found = new List<(NearRoute Route, int Prefix)>();
        for (var i = 0; i < map.Originals.Count; i++)
        {
            var info = map.Infos[i];
            if (info.IsToolbar)
            {
                continue;
            }

            var pattern = map.Originals[i].RoutePattern;
            var distance = Distance(segments, pattern.PathSegments);
            if (distance > Math.Max(1, segments.Length))
            {
                continue;
            }

            // Every near route says why it did not match: its path, a constraint, the method, the host, the controller and
            // action a conventional route stands for, or (it would have matched) that routing chose another endpoint.
            var reason = (distance == 0
                ? Reason(pattern, segments, method, info, context, policies) ?? RequiredValuesReason(pattern, path)
                : PathReason(segments, pattern.PathSegments))
                ?? "fits this path, but routing chose another endpoint (a higher priority, or the fallback's last place)";
            found.Add((new NearRoute
            {
                Pattern = info.Pattern,
                DisplayName = info.DisplayName,
                HttpMethods = info.HttpMethods,
                Distance = Math.Round(distance, 2),
                Reason = reason,
            }, SharedLiteralPrefix(segments, pattern.PathSegments)));
        }

        return found
            .OrderBy(f => f.Route.Distance)
            .ThenByDescending(f => f.Prefix)
            .ThenBy(f => f.Route.Pattern, StringComparer.Ordinal)
            .Select(f => f.Route)
            .DistinctBy(r => r.Pattern + " " + string.Join(",", r.HttpMethods))
            .Take(max)
            .ToList();
    }

    private static string[] Split(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > MaxSegments)
        {
            parts = parts[..MaxSegments];
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > MaxSegmentLength)
            {
                parts[i] = parts[i][..MaxSegmentLength];
            }
        }

        return parts;
    }

    private static double Distance(string[] path, IReadOnlyList<RoutePatternPathSegment> pattern)
    {
        var n = path.Length;
        var m = pattern.Count;
        var dp = new double[n + 1, m + 1];
        for (var i = 1; i <= n; i++)
        {
            dp[i, 0] = i;
        }

        for (var j = 1; j <= m; j++)
        {
            dp[0, j] = dp[0, j - 1] + SkipCost(pattern[j - 1]);
        }

        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                var segment = pattern[j - 1];
                var best = Math.Min(dp[i - 1, j] + 1, dp[i, j - 1] + SkipCost(segment));
                best = Math.Min(best, dp[i - 1, j - 1] + Cost(path[i - 1], segment));
                if (IsCatchAll(segment))
                {
                    best = Math.Min(best, dp[i - 1, j]); // a catch-all swallows any number of segments
                }

                dp[i, j] = best;
            }
        }

        return dp[n, m];
    }

    private static bool IsCatchAll(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternParameterPart { IsCatchAll: true }];

    private static double SkipCost(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternParameterPart { IsOptional: true } or RoutePatternParameterPart { IsCatchAll: true } or RoutePatternParameterPart { Default: not null }] ? 0 : 1;

    private static double Cost(string value, RoutePatternPathSegment segment)
    {
        if (segment.Parts is [RoutePatternLiteralPart literal])
        {
            if (string.Equals(value, literal.Content, StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            var similarity = (double)Levenshtein(value.ToLowerInvariant(), literal.Content.ToLowerInvariant()) / Math.Max(value.Length, literal.Content.Length);
            return similarity <= 0.4 ? 0.5 : 1;
        }

        if (segment.Parts is [RoutePatternParameterPart])
        {
            return 0;
        }

        // A complex segment ("{name}.{ext}"): close if every literal piece appears in the value.
        return segment.Parts.OfType<RoutePatternLiteralPart>().All(l => value.Contains(l.Content, StringComparison.OrdinalIgnoreCase)) ? 0 : 1;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static int SharedLiteralPrefix(string[] path, IReadOnlyList<RoutePatternPathSegment> pattern)
    {
        var count = 0;
        while (count < path.Length && count < pattern.Count
            && pattern[count].Parts is [RoutePatternLiteralPart literal]
            && string.Equals(literal.Content, path[count], StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }

    /// <summary>Why a route of the same shape did not take the path: a constraint, the HTTP method, or the host.</summary>
    private static string? Reason(RoutePattern pattern, string[] path, string method, RouteEndpointInfo info, HttpContext? context, ParameterPolicyFactory? policies)
    {
        if (policies is not null)
        {
            for (var i = 0; i < pattern.PathSegments.Count && i < path.Length; i++)
            {
                if (pattern.PathSegments[i].Parts is not [RoutePatternParameterPart { IsCatchAll: false } parameter])
                {
                    continue;
                }

                foreach (var reference in parameter.ParameterPolicies)
                {
                    try
                    {
                        if (policies.Create(parameter, reference) is IRouteConstraint constraint
                            && !constraint.Match(context, null, parameter.Name, new RouteValueDictionary { [parameter.Name] = path[i] }, RouteDirection.IncomingRequest))
                        {
                            var text = reference.Content ?? reference.ParameterPolicy?.GetType().Name;
                            return $"constraint '{parameter.Name}:{text}' rejected '{path[i]}'";
                        }
                    }
                    catch (Exception)
                    {
                        // A custom constraint that cannot be evaluated here just gives no reason.
                    }
                }
            }
        }

        if (info.HttpMethods.Count > 0 && !info.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            return $"accepts {string.Join(", ", info.HttpMethods)}, not {method}";
        }

        if (info.Hosts.Count > 0)
        {
            return $"restricted to host {string.Join(", ", info.Hosts)}";
        }

        return null;
    }

    private static string? PathReason(string[] path, IReadOnlyList<RoutePatternPathSegment> pattern)
    {
        for (var i = 0; i < Math.Max(path.Length, pattern.Count); i++)
        {
            if (i >= path.Length)
            {
                if (SkipCost(pattern[i]) == 0)
                {
                    continue;
                }

                return $"needs segment {i + 1} ({Text(pattern[i])})";
            }

            if (i >= pattern.Count)
            {
                return $"the path has {path.Length} segments, the route at most {pattern.Count}";
            }

            var segment = pattern[i];
            if (IsCatchAll(segment))
            {
                return null;
            }

            if (segment.Parts is [RoutePatternLiteralPart literal] && !string.Equals(literal.Content, path[i], StringComparison.OrdinalIgnoreCase))
            {
                return $"segment {i + 1} is '{path[i]}', the route needs '{literal.Content}'";
            }

            if (segment.Parts.Count > 1 && Cost(path[i], segment) > 0)
            {
                return $"segment {i + 1} '{path[i]}' does not fit '{Text(segment)}'";
            }
        }

        return null;
    }

    private static string? RequiredValuesReason(RoutePattern pattern, string path)
    {
        if (pattern.RequiredValues.Count == 0)
        {
            return null;
        }

        // A conventional route stands for one controller action (or page): the path's values must be that action's.
        var values = new RouteValueDictionary();
        var matcher = new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults));
        if (!matcher.TryMatch(path, values))
        {
            return "the path does not fit the pattern";
        }

        foreach (var (key, required) in pattern.RequiredValues)
        {
            if (required is null || ReferenceEquals(required, RoutePattern.RequiredValueAny))
            {
                continue;
            }

            var expected = Convert.ToString(required, CultureInfo.InvariantCulture) ?? "";
            var actual = values.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                return actual is null ? $"this endpoint needs {key}='{expected}'" : $"{key} is '{actual}' here, this endpoint is {key}='{expected}'";
            }
        }

        return null;
    }

    private static string Text(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(static part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => "{" + (parameter.IsCatchAll ? "*" : "") + parameter.Name + (parameter.IsOptional ? "?" : "") + "}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => "",
    }));
}
