using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Toolbar.Internal;

namespace Toolbar.Panels.Routes;

/// <summary>Turns an endpoint and its metadata into a <see cref="RouteEndpointInfo"/>. Reads metadata only; never runs app code.</summary>
internal static class RouteDescriber
{
    public static RouteEndpointInfo Describe(RouteEndpoint endpoint, int index)
    {
        var metadata = endpoint.Metadata;
        var pattern = FormatPattern(endpoint.RoutePattern);
        var (kind, handler) = Handler(endpoint);
        return new RouteEndpointInfo
        {
            Index = index,
            Pattern = pattern,
            DisplayName = endpoint.DisplayName,
            HttpMethods = metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() ?? [],
            Order = endpoint.Order,
            Kind = kind,
            Handler = handler,
            Group = GroupOf(endpoint.RoutePattern),
            IsToolbar = metadata.GetMetadata<ToolbarEndpointMetadata>() is not null,
            Constraints = Constraints(endpoint.RoutePattern),
            Hosts = metadata.GetMetadata<IHostMetadata>()?.Hosts.ToArray() ?? [],
            EndpointName = metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? metadata.GetMetadata<IRouteNameMetadata>()?.RouteName,
            Authorization = Authorization(metadata),
            Cors = Cors(metadata),
            RateLimiting = RateLimiting(metadata),
            OutputCache = OutputCache(metadata),
        };
    }

    /// <summary>The pattern as written, always with one leading slash (Razor Pages and controllers store it without).</summary>
    public static string FormatPattern(RoutePattern pattern)
    {
        var raw = pattern.RawText;
        if (raw is null)
        {
            var builder = new StringBuilder();
            foreach (var segment in pattern.PathSegments)
            {
                builder.Append('/');
                foreach (var part in segment.Parts)
                {
                    builder.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternSeparatorPart separator => separator.Content,
                        RoutePatternParameterPart parameter => "{" + (parameter.IsCatchAll ? "*" : "") + parameter.Name
                            + string.Concat(parameter.ParameterPolicies.Select(p => ":" + (p.Content ?? p.ParameterPolicy?.GetType().Name)))
                            + (parameter.IsOptional ? "?" : "") + "}",
                        _ => "",
                    });
                }
            }

            raw = builder.ToString();
        }

        raw = raw.StartsWith("~/", StringComparison.Ordinal) ? raw[1..] : raw;
        return "/" + raw.TrimStart('/');
    }

    private static string GroupOf(RoutePattern pattern)
    {
        if (pattern.PathSegments.Count > 0 && pattern.PathSegments[0] is { IsSimple: true, Parts: [RoutePatternLiteralPart literal] })
        {
            return "/" + literal.Content;
        }

        return "/";
    }

    private static string[] Constraints(RoutePattern pattern)
    {
        if (pattern.ParameterPolicies.Count == 0)
        {
            return [];
        }

        var list = new List<string>();
        foreach (var parameter in pattern.Parameters)
        {
            if (pattern.ParameterPolicies.TryGetValue(parameter.Name, out var policies))
            {
                foreach (var policy in policies)
                {
                    list.Add(parameter.Name + ":" + (policy.Content ?? policy.ParameterPolicy?.GetType().Name ?? "?"));
                }
            }
        }

        return [.. list];
    }

    private static (string Kind, string? Handler) Handler(RouteEndpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<ControllerActionDescriptor>() is { } action)
        {
            return ("controller", $"{action.ControllerTypeInfo.FullName}.{action.MethodInfo.Name}");
        }

        if (metadata.GetMetadata<PageActionDescriptor>() is { } page)
        {
            return ("page", page.RelativePath);
        }

        if (metadata.GetMetadata<ComponentTypeMetadata>() is { } component)
        {
            return ("component", component.Type.FullName);
        }

        if (metadata.GetMetadata<MethodInfo>() is { } method)
        {
            return ("minimal", MethodName(method));
        }

        return ("other", null);
    }

    private static string MethodName(MethodInfo method)
    {
        var type = method.DeclaringType;
        // Lambdas live in compiler-generated types and methods (<>c, <Main>$b__0_1): name the user's type instead.
        while (type is not null && type.Name.Contains('<', StringComparison.Ordinal) && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        var typeName = type?.FullName ?? type?.Name ?? "?";
        return method.Name.Contains('<', StringComparison.Ordinal) ? $"lambda in {typeName}" : $"{typeName}.{method.Name}";
    }

    private static string? Authorization(EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return "AllowAnonymous";
        }

        var parts = new List<string>();
        foreach (var data in metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            var details = new List<string>();
            if (!string.IsNullOrEmpty(data.Policy))
            {
                details.Add("policy " + data.Policy);
            }

            if (!string.IsNullOrEmpty(data.Roles))
            {
                details.Add("roles " + data.Roles);
            }

            if (!string.IsNullOrEmpty(data.AuthenticationSchemes))
            {
                details.Add("schemes " + data.AuthenticationSchemes);
            }

            parts.Add(details.Count == 0 ? "Authorize" : "Authorize(" + string.Join(", ", details) + ")");
        }

        if (metadata.GetMetadata<AuthorizationPolicy>() is not null)
        {
            parts.Add("Authorize(inline policy)");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts.Distinct(StringComparer.Ordinal));
    }

    private static string? Cors(EndpointMetadataCollection metadata)
    {
        // The last CORS metadata wins, whichever kind it is (as in the CORS middleware).
        var last = metadata.LastOrDefault(m => m is IEnableCorsAttribute or IDisableCorsAttribute or ICorsPolicyMetadata);
        return last switch
        {
            IDisableCorsAttribute => "disabled",
            IEnableCorsAttribute enable => enable.PolicyName ?? "default policy",
            ICorsPolicyMetadata => "inline policy",
            _ => null,
        };
    }

    private static string? RateLimiting(EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            return "disabled";
        }

        return metadata.GetMetadata<EnableRateLimitingAttribute>() is { } enable ? enable.PolicyName ?? "inline policy" : null;
    }

    private static string? OutputCache(EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<OutputCacheAttribute>() is { } cache)
        {
            if (cache.NoStore)
            {
                return "no-store";
            }

            return cache.PolicyName ?? (cache.Duration > 0 ? cache.Duration.ToString(CultureInfo.InvariantCulture) + " s" : "default");
        }

        return metadata.GetMetadata<IOutputCachePolicy>() is not null ? "policy" : null;
    }
}
