//go:build amd64 && !purego

#include "textflag.h"

// func twistAVX2(cur, far, out *uint32, n int)
//
// For each group of eight words w = cur[0:8]:
//	y = cur[0:8]&0x80000000 | cur[1:9]&0x7fffffff
//	w = far[0:8] ^ y>>1 ^ (0x9908b0df where y is odd, else 0)
//	cur[0:8] = w; out[0:8] = temper(w)
// then cur, far and out advance by eight words.
TEXT ·twistAVX2(SB), NOSPLIT, $0-32
	MOVQ cur+0(FP), SI
	MOVQ far+8(FP), DI
	MOVQ out+16(FP), DX
	MOVQ n+24(FP), CX
	MOVL $0x80000000, AX
	MOVQ AX, X8
	VPBROADCASTD X8, Y8 // upper mask
	MOVL $0x7fffffff, AX
	MOVQ AX, X9
	VPBROADCASTD X9, Y9 // lower mask
	MOVL $0x9908b0df, AX
	MOVQ AX, X10
	VPBROADCASTD X10, Y10 // matrix A
	MOVL $0x9d2c5680, AX
	MOVQ AX, X11
	VPBROADCASTD X11, Y11 // tempering mask b
	MOVL $0xefc60000, AX
	MOVQ AX, X12
	VPBROADCASTD X12, Y12 // tempering mask c
	TESTQ CX, CX
	JZ    done

loop:
	VMOVDQU (SI), Y0
	VMOVDQU 4(SI), Y1
	VPAND   Y8, Y0, Y0
	VPAND   Y9, Y1, Y1
	VPOR    Y1, Y0, Y0 // y
	VPSLLD  $31, Y0, Y2
	VPSRAD  $31, Y2, Y2 // all ones where y is odd
	VPAND   Y10, Y2, Y2
	VPSRLD  $1, Y0, Y0
	VPXOR   (DI), Y0, Y0
	VPXOR   Y2, Y0, Y0 // w
	VMOVDQU Y0, (SI)

	VPSRLD  $11, Y0, Y1
	VPXOR   Y1, Y0, Y0
	VPSLLD  $7, Y0, Y1
	VPAND   Y11, Y1, Y1
	VPXOR   Y1, Y0, Y0
	VPSLLD  $15, Y0, Y1
	VPAND   Y12, Y1, Y1
	VPXOR   Y1, Y0, Y0
	VPSRLD  $18, Y0, Y1
	VPXOR   Y1, Y0, Y0
	VMOVDQU Y0, (DX)

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET
