//go:build amd64 && !purego

#include "textflag.h"

// func chains4FMA(k int, pa, pb *[4]*float64, al, bl int, acc *[4]float64)
//
// Four independent chains acc[e] = fma(*pa[e], *pb[e], acc[e]), k times,
// advancing pa[e] by al and pb[e] by bl elements after each step:
// mulSmall's loop with the fused multiply-add as one instruction.
TEXT ·chains4FMA(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ pa+8(FP), AX
	MOVQ pb+16(FP), BX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	MOVQ 0(BX), SI
	MOVQ 8(BX), DI
	MOVQ 16(BX), R12
	MOVQ 24(BX), R13
	MOVQ al+24(FP), AX
	SHLQ $3, AX
	MOVQ bl+32(FP), BX
	SHLQ $3, BX
	MOVQ acc+40(FP), DX
	VMOVSD 0(DX), X0
	VMOVSD 8(DX), X1
	VMOVSD 16(DX), X2
	VMOVSD 24(DX), X3

loop:
	VMOVSD      (R8), X4
	VFMADD231SD (SI), X4, X0
	VMOVSD      (R9), X5
	VFMADD231SD (DI), X5, X1
	VMOVSD      (R10), X6
	VFMADD231SD (R12), X6, X2
	VMOVSD      (R11), X7
	VFMADD231SD (R13), X7, X3
	ADDQ AX, R8
	ADDQ AX, R9
	ADDQ AX, R10
	ADDQ AX, R11
	ADDQ BX, SI
	ADDQ BX, DI
	ADDQ BX, R12
	ADDQ BX, R13
	DECQ CX
	JNZ  loop

	VMOVSD X0, 0(DX)
	VMOVSD X1, 8(DX)
	VMOVSD X2, 16(DX)
	VMOVSD X3, 24(DX)
	RET

// func axpyFMA(alpha float64, x, y *float64, n int)
//
// y[j] = fma(alpha, x[j], y[j]) for j < n: four lanes of a ymm register
// at a time, then one at a time.
TEXT ·axpyFMA(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y0
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX

wide:
	CMPQ CX, $4
	JLT  narrow
	VMOVUPD     (DI), Y1
	VFMADD231PD (SI), Y0, Y1
	VMOVUPD     Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JMP  wide

narrow:
	TESTQ CX, CX
	JZ    done
	VMOVSD      (DI), X1
	VFMADD231SD (SI), X0, X1
	VMOVSD      X1, (DI)
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JMP  narrow

done:
	VZEROUPPER
	RET
