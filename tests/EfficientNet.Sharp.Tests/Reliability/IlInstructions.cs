using System.Reflection;
using System.Reflection.Emit;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>One decoded IL instruction: its opcode and, for calls and field accesses, the member it names.</summary>
internal readonly record struct IlInstruction(OpCode OpCode, MemberInfo? Member, int LocalIndex);

/// <summary>
/// A minimal IL decoder over <see cref="MethodBody.GetILAsByteArray"/>: enough to see which methods a
/// method calls, what it does with a call's result, and which locals it loads and stores.
/// </summary>
internal static class IlInstructions
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<IlInstruction> Decode(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException)
        {
            il = null;
        }

        if (il is null)
        {
            return [];
        }

        var instructions = new List<IlInstruction>();
        int position = 0;
        while (position < il.Length)
        {
            short value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            OpCode opCode = OpCodesByValue[value];
            MemberInfo? member = null;
            int local = ImplicitLocalIndex(opCode);
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    member = Resolve(method, BitConverter.ToInt32(il, position));
                    position += 4;
                    break;
                case OperandType.ShortInlineVar:
                    local = IsLocalAccess(opCode) ? il[position] : -1;
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    local = IsLocalAccess(opCode) ? BitConverter.ToUInt16(il, position) : -1;
                    position += 2;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    position += OperandSize(opCode.OperandType);
                    break;
            }

            instructions.Add(new IlInstruction(opCode, member, local));
        }

        return instructions;
    }

    public static bool IsStoreLocal(OpCode o) => o == OpCodes.Stloc || o == OpCodes.Stloc_S || o == OpCodes.Stloc_0 || o == OpCodes.Stloc_1 || o == OpCodes.Stloc_2 || o == OpCodes.Stloc_3;

    public static bool IsLoadLocal(OpCode o) => o == OpCodes.Ldloc || o == OpCodes.Ldloc_S || o == OpCodes.Ldloc_0 || o == OpCodes.Ldloc_1 || o == OpCodes.Ldloc_2 || o == OpCodes.Ldloc_3;

    public static bool IsCall(OpCode o) => o == OpCodes.Call || o == OpCodes.Callvirt || o == OpCodes.Newobj;

    private static bool IsLocalAccess(OpCode o) => IsStoreLocal(o) || IsLoadLocal(o) || o == OpCodes.Ldloca || o == OpCodes.Ldloca_S;

    private static int ImplicitLocalIndex(OpCode o) =>
        o == OpCodes.Stloc_0 || o == OpCodes.Ldloc_0 ? 0
        : o == OpCodes.Stloc_1 || o == OpCodes.Ldloc_1 ? 1
        : o == OpCodes.Stloc_2 || o == OpCodes.Ldloc_2 ? 2
        : o == OpCodes.Stloc_3 || o == OpCodes.Ldloc_3 ? 3
        : -1;

    private static MemberInfo? Resolve(MethodBase method, int token)
    {
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        try
        {
            return method.Module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMemberException or BadImageFormatException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI => 1,
        OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString
            or OperandType.InlineType or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => throw new NotSupportedException($"IL operand type {type} is not handled."),
    };
}
