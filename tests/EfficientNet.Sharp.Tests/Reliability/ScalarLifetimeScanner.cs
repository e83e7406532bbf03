using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// Finds code that can hand libtorch a <see cref="Scalar"/> the garbage collector may already have
/// finalized. TorchSharp 0.107 reads <c>scalar.Handle</c> and passes the pointer to native code without
/// keeping the managed object alive, so a Scalar that nothing references after that read (the temporary
/// made by an implicit <c>float → Scalar</c> conversion, or the hidden <c>alpha = 1</c> inside
/// <c>Tensor.add(Tensor)</c>) can be freed by its finalizer while libtorch still reads it.
/// <para>
/// A method is flagged when it (a) creates a Scalar and does not store it in a field, or in a local it
/// later disposes or passes to <see cref="GC.KeepAlive"/>; or (b) calls a TorchSharp method that does (a)
/// itself, directly or through other TorchSharp methods, or creates a TorchSharp module whose
/// <c>forward</c> does.
/// </para>
/// </summary>
internal sealed class ScalarLifetimeScanner
{
    private const int MaxDepth = 6;
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    // null: checked and clean; otherwise the call chain that ends in an unheld Scalar.
    private readonly Dictionary<MethodBase, string?> hidden = [];

    /// <summary>Every method, constructor, accessor, lambda and state machine declared in the assembly.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Assembly assembly) => assembly.GetTypes()
        .SelectMany(t => t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)));

    /// <summary>What is wrong with the method, one line per finding; empty when it keeps every Scalar alive.</summary>
    public IEnumerable<string> Check(MethodBase method)
    {
        IReadOnlyList<IlInstruction> il = IlInstructions.Decode(method);
        string where = $"{method.DeclaringType?.FullName}.{method.Name}";
        for (int i = 0; i < il.Count; i++)
        {
            if (il[i].Member is not MethodBase callee || !IlInstructions.IsCall(il[i].OpCode))
            {
                continue;
            }

            if (CreatesScalar(callee) && !IsHeld(il, i))
            {
                yield return $"{where}: the Scalar from {Describe(callee)} is a temporary";
            }
            else if (callee.DeclaringType?.Assembly == TorchSharpAssembly && HiddenTemporary(callee, 0) is { } chain)
            {
                yield return $"{where}: calls {chain}, which passes a Scalar temporary to libtorch";
            }
        }
    }

    private static bool CreatesScalar(MethodBase callee) =>
        callee is MethodInfo { ReturnType: var type } ? type == typeof(Scalar) : callee.DeclaringType == typeof(Scalar);

    /// <summary>Whether the Scalar made at <paramref name="index"/> outlives the calls that use it.</summary>
    private static bool IsHeld(IReadOnlyList<IlInstruction> il, int index)
    {
        if (index + 1 >= il.Count)
        {
            return false;
        }

        IlInstruction next = il[index + 1];
        if (next.OpCode == OpCodes.Stsfld || next.OpCode == OpCodes.Stfld || next.OpCode == OpCodes.Ret)
        {
            // A field keeps it reachable; a returned Scalar is the caller's to keep.
            return true;
        }

        if (!IlInstructions.IsStoreLocal(next.OpCode))
        {
            return false;
        }

        // A local is only reachable while something still reads it: a using's Dispose, or GC.KeepAlive.
        for (int j = index + 2; j + 1 < il.Count; j++)
        {
            if (IlInstructions.IsLoadLocal(il[j].OpCode) && il[j].LocalIndex == next.LocalIndex
                && il[j + 1].Member is MethodBase { Name: "Dispose" or "KeepAlive" })
            {
                return true;
            }
        }

        return false;
    }

    private string? HiddenTemporary(MethodBase method, int depth)
    {
        if (hidden.TryGetValue(method, out string? known))
        {
            return known;
        }

        hidden[method] = null; // cycle guard
        string? found = null;
        IReadOnlyList<IlInstruction> il = IlInstructions.Decode(method);
        for (int i = 0; i < il.Count && found is null; i++)
        {
            if (il[i].Member is not MethodBase callee || !IlInstructions.IsCall(il[i].OpCode))
            {
                continue;
            }

            if (CreatesScalar(callee) && !IsHeld(il, i))
            {
                found = $"{Describe(method)} (makes one with {Describe(callee)})";
            }
            else if (depth < MaxDepth && callee.DeclaringType?.Assembly == TorchSharpAssembly && HiddenTemporary(callee, depth + 1) is { } chain)
            {
                found = $"{Describe(method)} → {chain}";
            }
        }

        // A module factory (nn.LeakyReLU(...)) is harmless itself; the module's forward is what runs per call.
        Type? created = method is MethodInfo info ? info.ReturnType : method.IsConstructor ? method.DeclaringType : null;
        if (found is null && depth < MaxDepth && created is not null && created.Assembly == TorchSharpAssembly && typeof(nn.Module).IsAssignableFrom(created))
        {
            IEnumerable<MethodInfo> forwards = TorchSharpTypesFrom(created).SelectMany(t => t.GetMethods(Everything)).Where(m => m.Name == "forward");
            foreach (MethodInfo forward in forwards)
            {
                if (HiddenTemporary(forward, depth + 1) is { } chain)
                {
                    found = $"{Describe(method)}, whose {Describe(forward)} → {chain}";
                    break;
                }
            }
        }

        hidden[method] = found;
        return found;
    }

    /// <summary>The type and its base types, as far as they are TorchSharp's (a module may inherit its forward).</summary>
    private static IEnumerable<Type> TorchSharpTypesFrom(Type type)
    {
        for (Type? t = type; t is not null && t.Assembly == TorchSharpAssembly; t = t.BaseType)
        {
            yield return t;
        }
    }

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
}
