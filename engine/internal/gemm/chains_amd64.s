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

// func rowChains4(k int, a *float64, ai, al int, b *[4]*float64, bl int, m int, acc *[32]float64)
//
// For rows i < m (1 ≤ m ≤ 8) and lanes s < 4, the chains
// acc[4i+s] = fma(a[i*ai + l*al], b[s][l*bl], acc[4i+s]) for l = 0…k−1 in
// order: row i of a 4-column block of C in one ymm register, all m rows
// side by side, so that m·4 chains share each FMA's latency. Each step
// reads the four b[s][l*bl] into one register (two loads into each half).
TEXT ·rowChains4(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ ai+16(FP), R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R10 // 3·ai
	LEAQ (R9)(R9*4), R11 // 5·ai
	LEAQ (R10)(R9*4), R12 // 7·ai
	MOVQ al+24(FP), R13
	SHLQ $3, R13
	MOVQ b+32(FP), AX
	MOVQ 0(AX), SI
	MOVQ 8(AX), BX
	MOVQ 16(AX), DI
	MOVQ 24(AX), DX
	MOVQ bl+40(FP), AX
	SHLQ $3, AX
	MOVQ acc+56(FP), CX
	VMOVUPD 0(CX), Y0
	VMOVUPD 32(CX), Y1
	VMOVUPD 64(CX), Y2
	VMOVUPD 96(CX), Y3
	VMOVUPD 128(CX), Y4
	VMOVUPD 160(CX), Y5
	VMOVUPD 192(CX), Y6
	VMOVUPD 224(CX), Y7
	MOVQ k+0(FP), CX
	TESTQ CX, CX
	JLE   store

rows:
	VMOVSD       (SI), X8
	VMOVHPD      (BX), X8, X8
	VMOVSD       (DI), X9
	VMOVHPD      (DX), X9, X9
	VINSERTF128  $1, X9, Y8, Y8
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	CMPQ         m+48(FP), $2
	JLT          next
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	CMPQ         m+48(FP), $3
	JLT          next
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	CMPQ         m+48(FP), $4
	JLT          next
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	CMPQ         m+48(FP), $5
	JLT          next
	VBROADCASTSD (R8)(R9*4), Y13
	VFMADD231PD  Y13, Y8, Y4
	CMPQ         m+48(FP), $6
	JLT          next
	VBROADCASTSD (R8)(R11*1), Y14
	VFMADD231PD  Y14, Y8, Y5
	CMPQ         m+48(FP), $7
	JLT          next
	VBROADCASTSD (R8)(R10*2), Y15
	VFMADD231PD  Y15, Y8, Y6
	CMPQ         m+48(FP), $8
	JLT          next
	VBROADCASTSD (R8)(R12*1), Y9
	VFMADD231PD  Y9, Y8, Y7

next:
	ADDQ AX, SI
	ADDQ AX, BX
	ADDQ AX, DI
	ADDQ AX, DX
	ADDQ R13, R8
	DECQ CX
	JNZ  rows

store:
	MOVQ    acc+56(FP), CX
	VMOVUPD Y0, 0(CX)
	VMOVUPD Y1, 32(CX)
	VMOVUPD Y2, 64(CX)
	VMOVUPD Y3, 96(CX)
	VMOVUPD Y4, 128(CX)
	VMOVUPD Y5, 160(CX)
	VMOVUPD Y6, 192(CX)
	VMOVUPD Y7, 224(CX)
	VZEROUPPER
	RET

// func rowsNN(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs)
//
// Rows i < rows of C, four columns at a time for j < n4 (a multiple of 4):
// c[i*ldc+j] = fma(a[i*ai+l*al], b[l*bl+j], c[i*ldc+j]) for l = 0…k−1 in
// order, the chains starting from +0, or from c when load is set, and held
// in registers through all k steps: sixteen columns in four ymm registers,
// then eight in two, then four in one. One call for all rows (a call per
// row was a tenth of the course network's products). When e is not nil,
// each finished chain then gets Epilogue's operations in its order: + the
// row's bias, +0 where the mask's element is ≤ 0, and ReLU's output
// stored; e's row pointers are advanced row by row.

// The epilogue of a block of chains in registers, e's pointer in BX, the
// block's byte offset in its row in R12, the row's bias in Y5, zero in Y7:
// BIAS adds the bias; MASK(reg, off) sets +0 where the mask's element is
// ≤ 0, its row in AX; RELU(reg, off) stores max(0, ·) into ReLU's row, in
// AX.
#define BIAS(reg) VADDPD Y5, reg, reg

#define MASK(reg, off) \
	VMOVUPD off(AX)(R12*1), Y6; \
	VCMPPD  $0x12, Y7, Y6, Y6; \
	VANDNPD reg, Y6, reg

#define RELU(reg, off) \
	VCMPPD  $0x12, Y7, reg, Y6; \
	VANDNPD reg, Y6, Y6; \
	VMOVUPD Y6, off(AX)(R12*1)

TEXT ·rowsNN(SB), NOSPLIT, $0-96
	MOVQ   rows+0(FP), R13
	MOVQ   k+8(FP), CX
	MOVQ   a+16(FP), R8
	MOVQ   al+32(FP), R9
	SHLQ   $3, R9
	MOVQ   bl+48(FP), R10
	SHLQ   $3, R10
	MOVQ   c+56(FP), R11
	VXORPD Y7, Y7, Y7
	TESTQ  R13, R13
	JLE    nndone

row:
	MOVQ  b+40(FP), SI
	MOVQ  R11, DI
	MOVQ  n4+72(FP), DX
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JZ    block16
	MOVQ  0(BX), AX
	TESTQ AX, AX
	JZ    block16
	VBROADCASTSD (AX), Y5

block16:
	CMPQ    DX, $16
	JLT     block8
	CMPB    load+80(FP), $0
	JEQ     zero16
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	JMP     chain16

zero16:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

chain16:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   put16

steps16:
	VBROADCASTSD (AX), Y4
	VFMADD231PD  0(BX), Y4, Y0
	VFMADD231PD  32(BX), Y4, Y1
	VFMADD231PD  64(BX), Y4, Y2
	VFMADD231PD  96(BX), Y4, Y3
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          steps16

put16:
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JNZ   epi16
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	JMP     done16

epi16:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  nobias16
	BIAS(Y0)
	BIAS(Y1)
	BIAS(Y2)
	BIAS(Y3)

nobias16:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   nomask16
	MASK(Y0, 0)
	MASK(Y1, 32)
	MASK(Y2, 64)
	MASK(Y3, 96)

nomask16:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     done16
	RELU(Y0, 0)
	RELU(Y1, 32)
	RELU(Y2, 64)
	RELU(Y3, 96)

done16:
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $16, DX
	JMP  block16

block8:
	CMPQ    DX, $8
	JLT     block4
	CMPB    load+80(FP), $0
	JEQ     zero8
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	JMP     chain8

zero8:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1

chain8:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   put8

steps8:
	VBROADCASTSD (AX), Y4
	VFMADD231PD  0(BX), Y4, Y0
	VFMADD231PD  32(BX), Y4, Y1
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          steps8

put8:
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JNZ   epi8
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	JMP     done8

epi8:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  nobias8
	BIAS(Y0)
	BIAS(Y1)

nobias8:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   nomask8
	MASK(Y0, 0)
	MASK(Y1, 32)

nomask8:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     done8
	RELU(Y0, 0)
	RELU(Y1, 32)

done8:
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $8, DX

block4:
	CMPQ    DX, $4
	JLT     next
	CMPB    load+80(FP), $0
	JEQ     zero4
	VMOVUPD 0(DI), Y0
	JMP     chain4

zero4:
	VXORPD Y0, Y0, Y0

chain4:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   put4

steps4:
	VBROADCASTSD (AX), Y4
	VFMADD231PD  0(BX), Y4, Y0
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          steps4

put4:
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JNZ   epi4
	VMOVUPD Y0, 0(DI)
	JMP     next

epi4:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  nobias4
	BIAS(Y0)

nobias4:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   nomask4
	MASK(Y0, 0)

nomask4:
	VMOVUPD Y0, 0(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     next
	RELU(Y0, 0)

next:
	MOVQ ai+24(FP), AX
	SHLQ $3, AX
	ADDQ AX, R8
	MOVQ ldc+64(FP), AX
	SHLQ $3, AX
	ADDQ AX, R11
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JZ    nextrow
	MOVQ  0(BX), AX // the next row's bias value
	TESTQ AX, AX
	JZ    nextrelu
	ADDQ  $8, AX
	MOVQ  AX, 0(BX)

nextrelu:
	MOVQ  8(BX), AX // the next row of ReLU's output
	TESTQ AX, AX
	JZ    nextmask
	MOVQ  16(BX), R12
	SHLQ  $3, R12
	ADDQ  R12, AX
	MOVQ  AX, 8(BX)

nextmask:
	MOVQ  24(BX), AX // the next row of the mask
	TESTQ AX, AX
	JZ    nextrow
	MOVQ  32(BX), R12
	SHLQ  $3, R12
	ADDQ  R12, AX
	MOVQ  AX, 24(BX)

nextrow:
	DECQ R13
	JNZ  row

nndone:
	VZEROUPPER
	RET

// The epilogue of a block of chains in zmm registers, as BIAS, MASK and
// RELU for ymm: Z5 holds the row's bias, Z7 zero; K1 marks the lanes kept
// (predicate 6, not ≤, true for NaN).
#define BIAS512(reg) VADDPD Z5, reg, reg

#define MASK512(reg, off) \
	VMOVUPD   off(AX)(R12*1), Z6; \
	VCMPPD    $6, Z7, Z6, K1; \
	VMOVUPD.Z reg, K1, reg

#define RELU512(reg, off) \
	VCMPPD    $6, Z7, reg, K1; \
	VMOVUPD.Z reg, K1, Z6; \
	VMOVUPD   Z6, off(AX)(R12*1)

// func rowsNN512(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs)
//
// rowsNN with zmm registers where the CPU has AVX-512: sixty-four columns
// in eight registers (the course network's batch: a whole row per pass,
// with one broadcast per step), then thirty-two in four, sixteen in two,
// eight in one, and four in a ymm register; the same chains and epilogue,
// lane for lane.
TEXT ·rowsNN512(SB), NOSPLIT, $0-96
	MOVQ   rows+0(FP), R13
	MOVQ   k+8(FP), CX
	MOVQ   a+16(FP), R8
	MOVQ   al+32(FP), R9
	SHLQ   $3, R9
	MOVQ   bl+48(FP), R10
	SHLQ   $3, R10
	MOVQ   c+56(FP), R11
	VPXORQ Z7, Z7, Z7
	TESTQ  R13, R13
	JLE    zdone

zrow:
	MOVQ  b+40(FP), SI
	MOVQ  R11, DI
	MOVQ  n4+72(FP), DX
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JZ    zblock64
	MOVQ  0(BX), AX
	TESTQ AX, AX
	JZ    zblock64
	VBROADCASTSD (AX), Z5

zblock64:
	CMPQ    DX, $64
	JLT     zblock64next
	CMPB    load+80(FP), $0
	JEQ     zblock64zero
	VMOVUPD 0(DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3
	VMOVUPD 256(DI), Z8
	VMOVUPD 320(DI), Z9
	VMOVUPD 384(DI), Z10
	VMOVUPD 448(DI), Z11
	JMP     zblock64chain

zblock64zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

zblock64chain:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   zblock64put

zblock64steps:
	VBROADCASTSD (AX), Z4
	VFMADD231PD  0(BX), Z4, Z0
	VFMADD231PD  64(BX), Z4, Z1
	VFMADD231PD  128(BX), Z4, Z2
	VFMADD231PD  192(BX), Z4, Z3
	VFMADD231PD  256(BX), Z4, Z8
	VFMADD231PD  320(BX), Z4, Z9
	VFMADD231PD  384(BX), Z4, Z10
	VFMADD231PD  448(BX), Z4, Z11
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          zblock64steps

zblock64put:
	MOVQ    e+88(FP), BX
	TESTQ   BX, BX
	JNZ     zblock64epi
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	VMOVUPD Z8, 256(DI)
	VMOVUPD Z9, 320(DI)
	VMOVUPD Z10, 384(DI)
	VMOVUPD Z11, 448(DI)
	JMP     zblock64done

zblock64epi:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  zblock64nobias
	BIAS512(Z0)
	BIAS512(Z1)
	BIAS512(Z2)
	BIAS512(Z3)
	BIAS512(Z8)
	BIAS512(Z9)
	BIAS512(Z10)
	BIAS512(Z11)

zblock64nobias:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   zblock64nomask
	MASK512(Z0, 0)
	MASK512(Z1, 64)
	MASK512(Z2, 128)
	MASK512(Z3, 192)
	MASK512(Z8, 256)
	MASK512(Z9, 320)
	MASK512(Z10, 384)
	MASK512(Z11, 448)

zblock64nomask:
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	VMOVUPD Z8, 256(DI)
	VMOVUPD Z9, 320(DI)
	VMOVUPD Z10, 384(DI)
	VMOVUPD Z11, 448(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     zblock64done
	RELU512(Z0, 0)
	RELU512(Z1, 64)
	RELU512(Z2, 128)
	RELU512(Z3, 192)
	RELU512(Z8, 256)
	RELU512(Z9, 320)
	RELU512(Z10, 384)
	RELU512(Z11, 448)

zblock64done:
	ADDQ $512, DI
	ADDQ $512, SI
	SUBQ $64, DX
	JMP  zblock64

zblock64next:
zblock32:
	CMPQ    DX, $32
	JLT     zblock32next
	CMPB    load+80(FP), $0
	JEQ     zblock32zero
	VMOVUPD 0(DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3
	JMP     zblock32chain

zblock32zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3

zblock32chain:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   zblock32put

zblock32steps:
	VBROADCASTSD (AX), Z4
	VFMADD231PD  0(BX), Z4, Z0
	VFMADD231PD  64(BX), Z4, Z1
	VFMADD231PD  128(BX), Z4, Z2
	VFMADD231PD  192(BX), Z4, Z3
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          zblock32steps

zblock32put:
	MOVQ    e+88(FP), BX
	TESTQ   BX, BX
	JNZ     zblock32epi
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	JMP     zblock32done

zblock32epi:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  zblock32nobias
	BIAS512(Z0)
	BIAS512(Z1)
	BIAS512(Z2)
	BIAS512(Z3)

zblock32nobias:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   zblock32nomask
	MASK512(Z0, 0)
	MASK512(Z1, 64)
	MASK512(Z2, 128)
	MASK512(Z3, 192)

zblock32nomask:
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     zblock32done
	RELU512(Z0, 0)
	RELU512(Z1, 64)
	RELU512(Z2, 128)
	RELU512(Z3, 192)

zblock32done:
	ADDQ $256, DI
	ADDQ $256, SI
	SUBQ $32, DX
	JMP  zblock32

zblock32next:
zblock16:
	CMPQ    DX, $16
	JLT     zblock8
	CMPB    load+80(FP), $0
	JEQ     zzero16
	VMOVUPD 0(DI), Z0
	VMOVUPD 64(DI), Z1
	JMP     zchain16

zzero16:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1

zchain16:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   zput16

zsteps16:
	VBROADCASTSD (AX), Z4
	VFMADD231PD  0(BX), Z4, Z0
	VFMADD231PD  64(BX), Z4, Z1
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          zsteps16

zput16:
	MOVQ    e+88(FP), BX
	TESTQ   BX, BX
	JNZ     zepi16
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	JMP     zdone16

zepi16:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  znobias16
	BIAS512(Z0)
	BIAS512(Z1)

znobias16:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   znomask16
	MASK512(Z0, 0)
	MASK512(Z1, 64)

znomask16:
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     zdone16
	RELU512(Z0, 0)
	RELU512(Z1, 64)

zdone16:
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $16, DX
	JMP  zblock16

zblock8:
	CMPQ    DX, $8
	JLT     zblock4
	CMPB    load+80(FP), $0
	JEQ     zzero8
	VMOVUPD 0(DI), Z0
	JMP     zchain8

zzero8:
	VPXORQ Z0, Z0, Z0

zchain8:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   zput8

zsteps8:
	VBROADCASTSD (AX), Z4
	VFMADD231PD  0(BX), Z4, Z0
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          zsteps8

zput8:
	MOVQ    e+88(FP), BX
	TESTQ   BX, BX
	JNZ     zepi8
	VMOVUPD Z0, 0(DI)
	JMP     zdone8

zepi8:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  znobias8
	BIAS512(Z0)

znobias8:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   znomask8
	MASK512(Z0, 0)

znomask8:
	VMOVUPD Z0, 0(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     zdone8
	RELU512(Z0, 0)

zdone8:
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $8, DX

zblock4:
	CMPQ    DX, $4
	JLT     znext
	CMPB    load+80(FP), $0
	JEQ     zzero4
	VMOVUPD 0(DI), Y0
	JMP     zchain4

zzero4:
	VXORPD Y0, Y0, Y0

zchain4:
	MOVQ  R8, AX
	MOVQ  SI, BX
	MOVQ  CX, R12
	TESTQ R12, R12
	JLE   zput4

zsteps4:
	VBROADCASTSD (AX), Y4
	VFMADD231PD  0(BX), Y4, Y0
	ADDQ         R9, AX
	ADDQ         R10, BX
	DECQ         R12
	JNZ          zsteps4

zput4:
	MOVQ    e+88(FP), BX
	TESTQ   BX, BX
	JNZ     zepi4
	VMOVUPD Y0, 0(DI)
	JMP     znext

zepi4:
	MOVQ DI, R12
	SUBQ R11, R12
	CMPQ 0(BX), $0
	JEQ  znobias4
	BIAS(Y0)

znobias4:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JEQ   znomask4
	MASK(Y0, 0)

znomask4:
	VMOVUPD Y0, 0(DI)
	MOVQ    8(BX), AX
	TESTQ   AX, AX
	JEQ     znext
	RELU(Y0, 0)

znext:
	MOVQ ai+24(FP), AX
	SHLQ $3, AX
	ADDQ AX, R8
	MOVQ ldc+64(FP), AX
	SHLQ $3, AX
	ADDQ AX, R11
	MOVQ  e+88(FP), BX
	TESTQ BX, BX
	JZ    znextrow
	MOVQ  0(BX), AX
	TESTQ AX, AX
	JZ    znextrelu
	ADDQ  $8, AX
	MOVQ  AX, 0(BX)

znextrelu:
	MOVQ  8(BX), AX
	TESTQ AX, AX
	JZ    znextmask
	MOVQ  16(BX), R12
	SHLQ  $3, R12
	ADDQ  R12, AX
	MOVQ  AX, 8(BX)

znextmask:
	MOVQ  24(BX), AX
	TESTQ AX, AX
	JZ    znextrow
	MOVQ  32(BX), R12
	SHLQ  $3, R12
	ADDQ  R12, AX
	MOVQ  AX, 24(BX)

znextrow:
	DECQ R13
	JNZ  zrow

zdone:
	VZEROUPPER
	RET

// LANES4U loads op(B)'s four lane values of step l (byte offset R13 into
// each lane's row) into Y8: two into each half.
#define LANES4U \
	VMOVSD      (SI)(R13*1), X8; \
	VMOVHPD     (BX)(R13*1), X8, X8; \
	VMOVSD      (DI)(R13*1), X15; \
	VMOVHPD     (DX)(R13*1), X15, X15; \
	VINSERTF128 $1, X15, Y8, Y8

// func rowChains4uC(k int, a *float64, ai int, b *[4]*float64, m int, c *float64, ci, cj, nb int)
//
// rowChains4 for unit steps (al = bl = 1: the rows of op(A) and the lanes'
// rows of op(B) contiguous, as in δ·Aᵀ) and mode Set: one loop per row
// count m, without rowChains4's test of m at every row and step, one
// offset register for the four lanes in place of four pointers, chains
// that start from +0, and lane s < nb of row i < m stored to
// c[i*ci + s*cj] (mulSmallNT's loops did this, and zeroed the
// accumulators, in Go: a tenth of the course network's step). The same
// chains in the same order.
TEXT ·rowChains4uC(SB), NOSPLIT, $0-72
	MOVQ   a+8(FP), R8
	MOVQ   ai+16(FP), R9
	SHLQ   $3, R9
	LEAQ   (R9)(R9*2), R10  // 3·ai
	LEAQ   (R9)(R9*4), R11  // 5·ai
	LEAQ   (R10)(R9*4), R12 // 7·ai
	MOVQ   b+24(FP), AX
	MOVQ   0(AX), SI
	MOVQ   8(AX), BX
	MOVQ   16(AX), DI
	MOVQ   24(AX), DX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ   k+0(FP), CX
	XORQ   R13, R13
	TESTQ  CX, CX
	JLE    cstore
	MOVQ   m+32(FP), AX
	CMPQ   AX, $1
	JEQ    cm1
	CMPQ   AX, $2
	JEQ    cm2
	CMPQ   AX, $3
	JEQ    cm3
	CMPQ   AX, $4
	JEQ    cm4
	CMPQ   AX, $5
	JEQ    cm5
	CMPQ   AX, $6
	JEQ    cm6
	CMPQ   AX, $7
	JEQ    cm7
	CMPQ   AX, $8
	JEQ    cm8
	JMP    cstore

cm1:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm1
	JMP          cstore

cm2:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm2
	JMP          cstore

cm3:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm3
	JMP          cstore

cm4:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm4
	JMP          cstore

cm5:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	VBROADCASTSD (R8)(R9*4), Y13
	VFMADD231PD  Y13, Y8, Y4
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm5
	JMP          cstore

cm6:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	VBROADCASTSD (R8)(R9*4), Y13
	VFMADD231PD  Y13, Y8, Y4
	VBROADCASTSD (R8)(R11*1), Y14
	VFMADD231PD  Y14, Y8, Y5
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm6
	JMP          cstore

cm7:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	VBROADCASTSD (R8)(R9*4), Y13
	VFMADD231PD  Y13, Y8, Y4
	VBROADCASTSD (R8)(R11*1), Y14
	VFMADD231PD  Y14, Y8, Y5
	VBROADCASTSD (R8)(R10*2), Y9
	VFMADD231PD  Y9, Y8, Y6
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm7
	JMP          cstore

cm8:
	LANES4U
	VBROADCASTSD (R8), Y9
	VFMADD231PD  Y9, Y8, Y0
	VBROADCASTSD (R8)(R9*1), Y10
	VFMADD231PD  Y10, Y8, Y1
	VBROADCASTSD (R8)(R9*2), Y11
	VFMADD231PD  Y11, Y8, Y2
	VBROADCASTSD (R8)(R10*1), Y12
	VFMADD231PD  Y12, Y8, Y3
	VBROADCASTSD (R8)(R9*4), Y13
	VFMADD231PD  Y13, Y8, Y4
	VBROADCASTSD (R8)(R11*1), Y14
	VFMADD231PD  Y14, Y8, Y5
	VBROADCASTSD (R8)(R10*2), Y9
	VFMADD231PD  Y9, Y8, Y6
	VBROADCASTSD (R8)(R12*1), Y10
	VFMADD231PD  Y10, Y8, Y7
	ADDQ         $8, R8
	ADDQ         $8, R13
	DECQ         CX
	JNZ          cm8

	// Row i of C at DI = c + i·ci (bytes), lane s at DI + s·cj: R8 holds
	// cj·8, R9 3·cj·8, CX the rows left, DX nb.
cstore:
	MOVQ c+40(FP), DI
	MOVQ ci+48(FP), R10
	SHLQ $3, R10
	MOVQ cj+56(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ nb+64(FP), DX
	MOVQ m+32(FP), CX
	VMOVSD       X0, (DI)
	CMPQ         DX, $2
	JLT          crow0
	VMOVHPD      X0, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow0
	VEXTRACTF128 $1, Y0, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow0
	VMOVHPD      X15, (DI)(R9*1)

crow0:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X1, (DI)
	CMPQ         DX, $2
	JLT          crow1
	VMOVHPD      X1, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow1
	VEXTRACTF128 $1, Y1, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow1
	VMOVHPD      X15, (DI)(R9*1)

crow1:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X2, (DI)
	CMPQ         DX, $2
	JLT          crow2
	VMOVHPD      X2, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow2
	VEXTRACTF128 $1, Y2, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow2
	VMOVHPD      X15, (DI)(R9*1)

crow2:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X3, (DI)
	CMPQ         DX, $2
	JLT          crow3
	VMOVHPD      X3, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow3
	VEXTRACTF128 $1, Y3, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow3
	VMOVHPD      X15, (DI)(R9*1)

crow3:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X4, (DI)
	CMPQ         DX, $2
	JLT          crow4
	VMOVHPD      X4, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow4
	VEXTRACTF128 $1, Y4, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow4
	VMOVHPD      X15, (DI)(R9*1)

crow4:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X5, (DI)
	CMPQ         DX, $2
	JLT          crow5
	VMOVHPD      X5, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow5
	VEXTRACTF128 $1, Y5, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow5
	VMOVHPD      X15, (DI)(R9*1)

crow5:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X6, (DI)
	CMPQ         DX, $2
	JLT          crow6
	VMOVHPD      X6, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow6
	VEXTRACTF128 $1, Y6, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow6
	VMOVHPD      X15, (DI)(R9*1)

crow6:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone
	VMOVSD       X7, (DI)
	CMPQ         DX, $2
	JLT          crow7
	VMOVHPD      X7, (DI)(R8*1)
	CMPQ         DX, $3
	JLT          crow7
	VEXTRACTF128 $1, Y7, X15
	VMOVSD       X15, (DI)(R8*2)
	CMPQ         DX, $4
	JLT          crow7
	VMOVHPD      X15, (DI)(R9*1)

crow7:
	ADDQ R10, DI
	DECQ CX
	JZ   cdone

cdone:
	VZEROUPPER
	RET
