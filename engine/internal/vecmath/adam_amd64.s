//go:build amd64 && !purego

#include "textflag.h"

// func adamAVX(params, grads, m, s *float64, n int, c *AdamConsts)
//
// Four elements per iteration, the operations of adamGo in its order:
// every multiply rounded on its own (VMULPD, never a fused multiply-add).
TEXT ·adamAVX(SB), NOSPLIT, $0-48
	MOVQ params+0(FP), DI
	MOVQ grads+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ s+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSD 0(AX), Y8   // weight decay λ
	VBROADCASTSD 8(AX), Y9   // β1
	VBROADCASTSD 16(AX), Y10 // β2
	VBROADCASTSD 24(AX), Y11 // 1−β1
	VBROADCASTSD 32(AX), Y12 // 1−β2
	VBROADCASTSD 40(AX), Y13 // bc1
	VBROADCASTSD 48(AX), Y14 // bc2
	VBROADCASTSD 56(AX), Y15 // lr
	XORQ BX, BX

loop:
	CMPQ BX, CX
	JGE  done
	VMOVUPD (DI)(BX*8), Y0    // p
	VMULPD  Y8, Y0, Y1        // λ·p
	VADDPD  (SI)(BX*8), Y1, Y1 // g = g_i + λ·p
	VMULPD  (R8)(BX*8), Y9, Y2 // β1·m_i
	VMULPD  Y11, Y1, Y3       // (1−β1)·g
	VADDPD  Y3, Y2, Y2        // m
	VMULPD  (R9)(BX*8), Y10, Y4 // β2·s_i
	VMULPD  Y1, Y1, Y5        // g·g
	VMULPD  Y12, Y5, Y5       // (1−β2)·g²
	VADDPD  Y5, Y4, Y4        // s
	VMOVUPD Y2, (R8)(BX*8)
	VMOVUPD Y4, (R9)(BX*8)
	VDIVPD  Y13, Y2, Y6       // m/bc1
	VMULPD  Y15, Y6, Y6       // lr·(m/bc1)
	VDIVPD  Y14, Y4, Y7       // s/bc2
	VSQRTPD Y7, Y7
	VBROADCASTSD 64(AX), Y3   // ε
	VADDPD  Y3, Y7, Y7        // √(s/bc2) + ε
	VDIVPD  Y7, Y6, Y6        // lr·(m/bc1)/(√(s/bc2) + ε)
	VSUBPD  Y6, Y0, Y0        // p − …
	VMOVUPD Y0, (DI)(BX*8)
	ADDQ    $4, BX
	JMP     loop

done:
	VZEROUPPER
	RET
