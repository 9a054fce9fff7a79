using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// Reads an assembly's metadata (the compiled references, not its source) and lists every type and member of
/// Toolbar.Core it references that another assembly could not see: non-public types, and members that are neither
/// public nor protected. A compiler only emits such references when it was granted the core's internals.
/// </summary>
internal static class CoreReferenceScanner
{
    public static IReadOnlyList<string> NonPublicCoreReferences(string assemblyPath, Assembly core)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var coreName = core.GetName().Name;
        var found = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var handle in reader.TypeReferences)
        {
            if (Resolve(reader, handle, core, coreName) is { } type && !type.IsVisible)
            {
                found.Add("type " + type.FullName);
            }
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            var type = member.Parent.Kind switch
            {
                HandleKind.TypeReference => Resolve(reader, (TypeReferenceHandle)member.Parent, core, coreName),
                HandleKind.TypeSpecification => ResolveSpecification(reader, (TypeSpecificationHandle)member.Parent, core, coreName),
                _ => null,
            };
            if (type is null)
            {
                continue;
            }

            var name = reader.GetString(member.Name);
            var signature = reader.GetBlobReader(member.Signature);
            var header = signature.ReadSignatureHeader();
            if (header.Kind == SignatureKind.Field)
            {
                var field = type.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
                if (field is null || !(field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly))
                {
                    found.Add($"field {type.FullName}.{name}");
                }

                continue;
            }

            var genericArity = header.IsGeneric ? signature.ReadCompressedInteger() : 0;
            var parameterCount = signature.ReadCompressedInteger();
            // Every overload with this name, arity and parameter count must be visible: conservative, never lenient.
            var candidates = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .OfType<MethodBase>()
                .Where(m => m.Name == name && m.GetParameters().Length == parameterCount && (m.IsGenericMethod ? m.GetGenericArguments().Length : 0) == genericArity)
                .ToList();
            if (candidates.Count == 0 || candidates.Any(m => !(m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly)))
            {
                found.Add($"method {type.FullName}.{name}/{parameterCount}");
            }
        }

        return [.. found];
    }

    private static Type? Resolve(MetadataReader reader, TypeReferenceHandle handle, Assembly core, string? coreName)
    {
        var reference = reader.GetTypeReference(handle);
        var name = reader.GetString(reference.Name);
        switch (reference.ResolutionScope.Kind)
        {
            case HandleKind.AssemblyReference:
                var assembly = reader.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope);
                if (reader.GetString(assembly.Name) != coreName)
                {
                    return null;
                }

                var ns = reader.GetString(reference.Namespace);
                var fullName = ns.Length == 0 ? name : ns + "." + name;
                return core.GetType(fullName, throwOnError: false) ?? throw new InvalidOperationException($"{fullName} is referenced but not in {coreName}.");
            case HandleKind.TypeReference:
                return Resolve(reader, (TypeReferenceHandle)reference.ResolutionScope, core, coreName) is { } outer
                    ? outer.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic)
                    : null;
            default:
                return null;
        }
    }

    // A member of a generic instantiation (e.g. ToolbarPanel<SqlData>.GetNavSubtitle): check it on the generic definition.
    private static Type? ResolveSpecification(MetadataReader reader, TypeSpecificationHandle handle, Assembly core, string? coreName)
    {
        var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
        {
            return null;
        }

        blob.ReadSignatureTypeCode();
        var definition = blob.ReadTypeHandle();
        return definition.Kind == HandleKind.TypeReference ? Resolve(reader, (TypeReferenceHandle)definition, core, coreName) : null;
    }
}
