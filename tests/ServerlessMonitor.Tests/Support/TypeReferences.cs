using System.Reflection;
using System.Reflection.Emit;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// Which types of one namespace (and its children) the compiled types of another namespace use: in base types, fields,
/// properties, signatures, locals and method bodies (the IL's type, method and field tokens), lambdas and async state
/// machines included. It reads the assembly as built, so a fully qualified name or a using alias cannot hide a reference.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(c => c.Value);

    /// <summary>Each use as "user (member) uses used", sorted; empty when no type in <paramref name="from"/> uses one in <paramref name="to"/>.</summary>
    public static IReadOnlyList<string> Between(Assembly assembly, string from, string to)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => In(t, from)))
        {
            foreach (var (member, used) in Uses(type))
            {
                foreach (var t in Flatten(used).Where(t => In(t, to)))
                {
                    found.Add($"{type.FullName} ({member}) uses {t.FullName}");
                }
            }
        }
        return [.. found];
    }

    /// <summary>Every type <paramref name="type"/> uses, its lambdas' and async state machines' uses included.</summary>
    public static IReadOnlySet<Type> UsedBy(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(Declared))
            .SelectMany(Uses).SelectMany(u => Flatten(u.Used)).ToHashSet();

    private static bool In(Type t, string ns) => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    private static IEnumerable<(string Member, Type? Used)> Uses(Type type)
    {
        yield return ("base", type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            yield return ("interface", i);
        }
        foreach (var f in type.GetFields(Declared))
        {
            yield return (f.Name, f.FieldType);
        }
        foreach (var p in type.GetProperties(Declared))
        {
            yield return (p.Name, p.PropertyType);
        }
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            foreach (var used in InSignature(m).Concat(InBody(m)))
            {
                yield return (m.Name, used);
            }
        }
    }

    private static IEnumerable<Type> InSignature(MethodBase m) =>
        m.GetParameters().Select(p => p.ParameterType).Append(m is MethodInfo mi ? mi.ReturnType : typeof(void));

    private static IEnumerable<Type> InBody(MethodBase m)
    {
        var body = m.GetMethodBody();
        if (body is null)
        {
            yield break;
        }
        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }
        var il = body.GetILAsByteArray() ?? [];
        for (var pos = 0; pos < il.Length;)
        {
            var value = il[pos] == 0xFE ? unchecked((short)(0xFE00 | il[pos + 1])) : il[pos];
            var code = OpCodesByValue[value];
            pos += code.Size;
            if (code.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                foreach (var used in Resolve(m, BitConverter.ToInt32(il, pos)))
                {
                    yield return used;
                }
            }
            pos += OperandSize(code.OperandType, il, pos);
        }
    }

    private static IEnumerable<Type> Resolve(MethodBase m, int token)
    {
        var member = m.Module.ResolveMember(token, m.DeclaringType?.GetGenericArguments(), m.IsGenericMethod ? m.GetGenericArguments() : null);
        return member switch
        {
            Type t => [t],
            FieldInfo f => [f.DeclaringType!, f.FieldType],
            MethodBase called => InSignature(called).Prepend(called.DeclaringType!).Concat(called.IsGenericMethod ? called.GetGenericArguments() : []),
            _ => [],
        };
    }

    private static int OperandSize(OperandType operand, byte[] il, int pos) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pos),
        _ => 4,
    };

    /// <summary>A type with its element type and generic arguments, all the way down (List&lt;Dictionary&lt;string, X&gt;&gt; uses X).</summary>
    private static IEnumerable<Type> Flatten(Type? t)
    {
        if (t is null || t.IsGenericParameter)
        {
            return [];
        }
        if (t.HasElementType)
        {
            return Flatten(t.GetElementType());
        }
        return t.IsConstructedGenericType
            ? t.GetGenericArguments().SelectMany(Flatten).Prepend(t.GetGenericTypeDefinition())
            : [t];
    }
}
