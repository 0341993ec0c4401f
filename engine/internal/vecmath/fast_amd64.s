//go:build amd64 && !purego

#include "textflag.h"

// The constants of logAVX2 and sigmoidAVX2, each four times (one ymm
// register), bit patterns of the float64 constants crmath.FastLog and
// crmath.FastExp use.
DATA logc<>+0(SB)/8, $0x000fffffffffffff // 0: mantissa mask; x > it: x is positive and normal
DATA logc<>+8(SB)/8, $0x000fffffffffffff
DATA logc<>+16(SB)/8, $0x000fffffffffffff
DATA logc<>+24(SB)/8, $0x000fffffffffffff
DATA logc<>+32(SB)/8, $0x3fe0000000000000 // 32: exponent of [0.5, 1)
DATA logc<>+40(SB)/8, $0x3fe0000000000000
DATA logc<>+48(SB)/8, $0x3fe0000000000000
DATA logc<>+56(SB)/8, $0x3fe0000000000000
DATA logc<>+64(SB)/8, $0x7ff0000000000000 // 64: +Inf: x < it: x is finite
DATA logc<>+72(SB)/8, $0x7ff0000000000000
DATA logc<>+80(SB)/8, $0x7ff0000000000000
DATA logc<>+88(SB)/8, $0x7ff0000000000000
DATA logc<>+96(SB)/8, $0x3fe6a09e667f3bcd // 96: √2/2
DATA logc<>+104(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+112(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+120(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+128(SB)/8, $0x3ff0000000000000 // 128: 1
DATA logc<>+136(SB)/8, $0x3ff0000000000000
DATA logc<>+144(SB)/8, $0x3ff0000000000000
DATA logc<>+152(SB)/8, $0x3ff0000000000000
DATA logc<>+160(SB)/8, $0x4000000000000000 // 160: 2
DATA logc<>+168(SB)/8, $0x4000000000000000
DATA logc<>+176(SB)/8, $0x4000000000000000
DATA logc<>+184(SB)/8, $0x4000000000000000
DATA logc<>+192(SB)/8, $0x4330000000000000 // 192: 2^52 (bits)
DATA logc<>+200(SB)/8, $0x4330000000000000
DATA logc<>+208(SB)/8, $0x4330000000000000
DATA logc<>+216(SB)/8, $0x4330000000000000
DATA logc<>+224(SB)/8, $0x43300000000003fe // 224: 2^52 + 1022
DATA logc<>+232(SB)/8, $0x43300000000003fe
DATA logc<>+240(SB)/8, $0x43300000000003fe
DATA logc<>+248(SB)/8, $0x43300000000003fe
DATA logc<>+256(SB)/8, $0x3fe0000000000000 // 256: 0.5
DATA logc<>+264(SB)/8, $0x3fe0000000000000
DATA logc<>+272(SB)/8, $0x3fe0000000000000
DATA logc<>+280(SB)/8, $0x3fe0000000000000
DATA logc<>+288(SB)/8, $0x3fe62e42fee00000 // 288: ln2Hi32
DATA logc<>+296(SB)/8, $0x3fe62e42fee00000
DATA logc<>+304(SB)/8, $0x3fe62e42fee00000
DATA logc<>+312(SB)/8, $0x3fe62e42fee00000
DATA logc<>+320(SB)/8, $0x3dea39ef35793c76 // 320: ln2Lo32
DATA logc<>+328(SB)/8, $0x3dea39ef35793c76
DATA logc<>+336(SB)/8, $0x3dea39ef35793c76
DATA logc<>+344(SB)/8, $0x3dea39ef35793c76
DATA logc<>+352(SB)/8, $0x3fb642c8590b2164 // 352: 2/23
DATA logc<>+360(SB)/8, $0x3fb642c8590b2164
DATA logc<>+368(SB)/8, $0x3fb642c8590b2164
DATA logc<>+376(SB)/8, $0x3fb642c8590b2164
DATA logc<>+384(SB)/8, $0x3fbaf286bca1af28 // 384: 2/19
DATA logc<>+392(SB)/8, $0x3fbaf286bca1af28
DATA logc<>+400(SB)/8, $0x3fbaf286bca1af28
DATA logc<>+408(SB)/8, $0x3fbaf286bca1af28
DATA logc<>+416(SB)/8, $0x3fc1111111111111 // 416: 2/15
DATA logc<>+424(SB)/8, $0x3fc1111111111111
DATA logc<>+432(SB)/8, $0x3fc1111111111111
DATA logc<>+440(SB)/8, $0x3fc1111111111111
DATA logc<>+448(SB)/8, $0x3fc745d1745d1746 // 448: 2/11
DATA logc<>+456(SB)/8, $0x3fc745d1745d1746
DATA logc<>+464(SB)/8, $0x3fc745d1745d1746
DATA logc<>+472(SB)/8, $0x3fc745d1745d1746
DATA logc<>+480(SB)/8, $0x3fd2492492492492 // 480: 2/7
DATA logc<>+488(SB)/8, $0x3fd2492492492492
DATA logc<>+496(SB)/8, $0x3fd2492492492492
DATA logc<>+504(SB)/8, $0x3fd2492492492492
DATA logc<>+512(SB)/8, $0x3fe5555555555555 // 512: 2/3
DATA logc<>+520(SB)/8, $0x3fe5555555555555
DATA logc<>+528(SB)/8, $0x3fe5555555555555
DATA logc<>+536(SB)/8, $0x3fe5555555555555
DATA logc<>+544(SB)/8, $0x3fb8618618618618 // 544: 2/21
DATA logc<>+552(SB)/8, $0x3fb8618618618618
DATA logc<>+560(SB)/8, $0x3fb8618618618618
DATA logc<>+568(SB)/8, $0x3fb8618618618618
DATA logc<>+576(SB)/8, $0x3fbe1e1e1e1e1e1e // 576: 2/17
DATA logc<>+584(SB)/8, $0x3fbe1e1e1e1e1e1e
DATA logc<>+592(SB)/8, $0x3fbe1e1e1e1e1e1e
DATA logc<>+600(SB)/8, $0x3fbe1e1e1e1e1e1e
DATA logc<>+608(SB)/8, $0x3fc3b13b13b13b14 // 608: 2/13
DATA logc<>+616(SB)/8, $0x3fc3b13b13b13b14
DATA logc<>+624(SB)/8, $0x3fc3b13b13b13b14
DATA logc<>+632(SB)/8, $0x3fc3b13b13b13b14
DATA logc<>+640(SB)/8, $0x3fcc71c71c71c71c // 640: 2/9
DATA logc<>+648(SB)/8, $0x3fcc71c71c71c71c
DATA logc<>+656(SB)/8, $0x3fcc71c71c71c71c
DATA logc<>+664(SB)/8, $0x3fcc71c71c71c71c
DATA logc<>+672(SB)/8, $0x3fd999999999999a // 672: 2/5
DATA logc<>+680(SB)/8, $0x3fd999999999999a
DATA logc<>+688(SB)/8, $0x3fd999999999999a
DATA logc<>+696(SB)/8, $0x3fd999999999999a
GLOBL logc<>(SB), RODATA|NOPTR, $704

DATA expc<>+0(SB)/8, $0x7fffffffffffffff // 0: |x| mask
DATA expc<>+8(SB)/8, $0x7fffffffffffffff
DATA expc<>+16(SB)/8, $0x7fffffffffffffff
DATA expc<>+24(SB)/8, $0x7fffffffffffffff
DATA expc<>+32(SB)/8, $0x8000000000000000 // 32: sign bit
DATA expc<>+40(SB)/8, $0x8000000000000000
DATA expc<>+48(SB)/8, $0x8000000000000000
DATA expc<>+56(SB)/8, $0x8000000000000000
DATA expc<>+64(SB)/8, $0x4086180000000000 // 64: 707: |x| ≤ it keeps 2^k normal
DATA expc<>+72(SB)/8, $0x4086180000000000
DATA expc<>+80(SB)/8, $0x4086180000000000
DATA expc<>+88(SB)/8, $0x4086180000000000
DATA expc<>+96(SB)/8, $0x3ff71547652b82fe // 96: 1/ln 2
DATA expc<>+104(SB)/8, $0x3ff71547652b82fe
DATA expc<>+112(SB)/8, $0x3ff71547652b82fe
DATA expc<>+120(SB)/8, $0x3ff71547652b82fe
DATA expc<>+128(SB)/8, $0x3fe0000000000000 // 128: 0.5
DATA expc<>+136(SB)/8, $0x3fe0000000000000
DATA expc<>+144(SB)/8, $0x3fe0000000000000
DATA expc<>+152(SB)/8, $0x3fe0000000000000
DATA expc<>+160(SB)/8, $0x3ff0000000000000 // 160: 1
DATA expc<>+168(SB)/8, $0x3ff0000000000000
DATA expc<>+176(SB)/8, $0x3ff0000000000000
DATA expc<>+184(SB)/8, $0x3ff0000000000000
DATA expc<>+192(SB)/8, $0x3fe62e42fee00000 // 192: ln2Hi32
DATA expc<>+200(SB)/8, $0x3fe62e42fee00000
DATA expc<>+208(SB)/8, $0x3fe62e42fee00000
DATA expc<>+216(SB)/8, $0x3fe62e42fee00000
DATA expc<>+224(SB)/8, $0x3dea39ef35793c76 // 224: ln2Lo32
DATA expc<>+232(SB)/8, $0x3dea39ef35793c76
DATA expc<>+240(SB)/8, $0x3dea39ef35793c76
DATA expc<>+248(SB)/8, $0x3dea39ef35793c76
DATA expc<>+256(SB)/8, $0x43300000000003ff // 256: 2^52 + 1023
DATA expc<>+264(SB)/8, $0x43300000000003ff
DATA expc<>+272(SB)/8, $0x43300000000003ff
DATA expc<>+280(SB)/8, $0x43300000000003ff
DATA expc<>+288(SB)/8, $0x3e21eed8eff8d898 // 288: 1/12!
DATA expc<>+296(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+304(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+312(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+320(SB)/8, $0x3e927e4fb7789f5c // 320: 1/10!
DATA expc<>+328(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+336(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+344(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+352(SB)/8, $0x3efa01a01a01a01a // 352: 1/8!
DATA expc<>+360(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+368(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+376(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+384(SB)/8, $0x3f56c16c16c16c17 // 384: 1/6!
DATA expc<>+392(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+400(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+408(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+416(SB)/8, $0x3fa5555555555555 // 416: 1/4!
DATA expc<>+424(SB)/8, $0x3fa5555555555555
DATA expc<>+432(SB)/8, $0x3fa5555555555555
DATA expc<>+440(SB)/8, $0x3fa5555555555555
DATA expc<>+448(SB)/8, $0x3fe0000000000000 // 448: 1/2!
DATA expc<>+456(SB)/8, $0x3fe0000000000000
DATA expc<>+464(SB)/8, $0x3fe0000000000000
DATA expc<>+472(SB)/8, $0x3fe0000000000000
DATA expc<>+480(SB)/8, $0x3de6124613a86d09 // 480: 1/13!
DATA expc<>+488(SB)/8, $0x3de6124613a86d09
DATA expc<>+496(SB)/8, $0x3de6124613a86d09
DATA expc<>+504(SB)/8, $0x3de6124613a86d09
DATA expc<>+512(SB)/8, $0x3e5ae64567f544e4 // 512: 1/11!
DATA expc<>+520(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+528(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+536(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+544(SB)/8, $0x3ec71de3a556c734 // 544: 1/9!
DATA expc<>+552(SB)/8, $0x3ec71de3a556c734
DATA expc<>+560(SB)/8, $0x3ec71de3a556c734
DATA expc<>+568(SB)/8, $0x3ec71de3a556c734
DATA expc<>+576(SB)/8, $0x3f2a01a01a01a01a // 576: 1/7!
DATA expc<>+584(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+592(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+600(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+608(SB)/8, $0x3f81111111111111 // 608: 1/5!
DATA expc<>+616(SB)/8, $0x3f81111111111111
DATA expc<>+624(SB)/8, $0x3f81111111111111
DATA expc<>+632(SB)/8, $0x3f81111111111111
DATA expc<>+640(SB)/8, $0x3fc5555555555555 // 640: 1/3!
DATA expc<>+648(SB)/8, $0x3fc5555555555555
DATA expc<>+656(SB)/8, $0x3fc5555555555555
DATA expc<>+664(SB)/8, $0x3fc5555555555555
GLOBL expc<>(SB), RODATA|NOPTR, $672

// func logAVX2(dst, src *float64, n int) int
//
// dst[i] = crmath.FastLog(src[i]) four at a time for i < n (n a multiple
// of 4), with FastLog's operations in its order, while every lane of the
// group is positive, normal and finite; returns how many it did (it stops
// before the first group with another lane, which the caller does in Go).
TEXT ·logAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ DX, DX

loop:
	CMPQ DX, CX
	JGE  done
	VMOVUPD (SI)(DX*8), Y0

	// Positive normal finite lanes: 0x000f…f < bits < 0x7ff0…0 as int64.
	VPCMPGTQ  logc<>+0(SB), Y0, Y1
	VMOVDQU   logc<>+64(SB), Y2
	VPCMPGTQ  Y0, Y2, Y2
	VPAND     Y1, Y2, Y1
	VMOVMSKPD Y1, AX
	CMPQ      AX, $15
	JNE       done

	// math.Frexp: m in [0.5, 1), e = biased exponent − 1022 (as float64,
	// exactly: (2^52 + E) − (2^52 + 1022)).
	VPAND  logc<>+0(SB), Y0, Y3
	VPOR   logc<>+32(SB), Y3, Y3
	VPSRLQ $52, Y0, Y4
	VPOR   logc<>+192(SB), Y4, Y4
	VSUBPD logc<>+224(SB), Y4, Y4

	// m < √2/2: m *= 2, e−−.
	VCMPPD    $1, logc<>+96(SB), Y3, Y5
	VADDPD    Y3, Y3, Y6
	VBLENDVPD Y5, Y6, Y3, Y3
	VANDPD    logc<>+128(SB), Y5, Y6
	VSUBPD    Y6, Y4, Y4 // k = float64(e)

	VSUBPD logc<>+128(SB), Y3, Y3 // f = m − 1
	VADDPD logc<>+160(SB), Y3, Y6 // 2 + f
	VDIVPD Y6, Y3, Y6             // s = f/(2+f)
	VMULPD Y6, Y6, Y7             // z = s·s
	VMULPD Y7, Y7, Y8             // w = z·z

	// even, odd: chains of FMAs in w.
	VMOVUPD     logc<>+352(SB), Y9
	VFMADD213PD logc<>+384(SB), Y8, Y9
	VFMADD213PD logc<>+416(SB), Y8, Y9
	VFMADD213PD logc<>+448(SB), Y8, Y9
	VFMADD213PD logc<>+480(SB), Y8, Y9
	VFMADD213PD logc<>+512(SB), Y8, Y9
	VMOVUPD     logc<>+544(SB), Y10
	VFMADD213PD logc<>+576(SB), Y8, Y10
	VFMADD213PD logc<>+608(SB), Y8, Y10
	VFMADD213PD logc<>+640(SB), Y8, Y10
	VFMADD213PD logc<>+672(SB), Y8, Y10

	VFMADD213PD Y9, Y7, Y10 // fma(odd, z, even)
	VMULPD      Y10, Y7, Y10 // r = z·(…)

	VMULPD Y3, Y3, Y11             // f·f
	VMULPD logc<>+256(SB), Y11, Y11 // hfsq = 0.5·(f·f)

	VADDPD Y10, Y11, Y12           // hfsq + r
	VMULPD Y12, Y6, Y12            // s·(hfsq + r)
	VMULPD logc<>+320(SB), Y4, Y13 // k·ln2Lo32
	VADDPD Y13, Y12, Y12
	VSUBPD Y12, Y11, Y12           // hfsq − (…)
	VSUBPD Y12, Y3, Y12            // f − (…)
	VMULPD logc<>+288(SB), Y4, Y13 // k·ln2Hi32
	VADDPD Y12, Y13, Y12
	VMOVUPD Y12, (DI)(DX*8)

	ADDQ $4, DX
	JMP  loop

done:
	MOVQ DX, ret+24(FP)
	VZEROUPPER
	RET

// func sigmoidAVX2(dst, src *float64, n int) int
//
// dst[i] = 1/(1 + crmath.FastExp(−src[i])) four at a time for i < n (n a
// multiple of 4), with FastExp's operations in its order, while every lane
// of the group has |src[i]| ≤ 707 (so that FastExp's 2^k is a normal
// number); returns how many it did, as logAVX2.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ DX, DX

sloop:
	CMPQ DX, CX
	JGE  sdone
	VMOVUPD (SI)(DX*8), Y0
	VXORPD  expc<>+32(SB), Y0, Y0 // x = −src

	// |x| ≤ 707 (false for NaN).
	VANDPD    expc<>+0(SB), Y0, Y1
	VCMPPD    $2, expc<>+64(SB), Y1, Y1
	VMOVMSKPD Y1, AX
	CMPQ      AX, $15
	JNE       sdone

	// k = math.Round(x·(1/ln 2)): truncate, then away from zero when the
	// dropped part (exact) is at least one half.
	VMULPD    expc<>+96(SB), Y0, Y1 // y
	VROUNDPD  $3, Y1, Y2            // trunc(y)
	VSUBPD    Y2, Y1, Y3            // y − trunc(y)
	VANDPD    expc<>+0(SB), Y3, Y3
	VCMPPD    $13, expc<>+128(SB), Y3, Y3 // ≥ 0.5
	VANDPD    expc<>+32(SB), Y1, Y4
	VORPD     expc<>+160(SB), Y4, Y4 // copysign(1, y)
	VADDPD    Y4, Y2, Y4
	VBLENDVPD Y3, Y4, Y2, Y2 // k

	VMULPD expc<>+192(SB), Y2, Y3 // k·ln2Hi32
	VSUBPD Y3, Y0, Y3             // hi = x − (…)
	VMULPD expc<>+224(SB), Y2, Y4 // lo = k·ln2Lo32
	VSUBPD Y4, Y3, Y5             // r = hi − lo
	VMULPD Y5, Y5, Y6             // z = r·r

	VMOVUPD     expc<>+288(SB), Y7
	VFMADD213PD expc<>+320(SB), Y6, Y7
	VFMADD213PD expc<>+352(SB), Y6, Y7
	VFMADD213PD expc<>+384(SB), Y6, Y7
	VFMADD213PD expc<>+416(SB), Y6, Y7
	VFMADD213PD expc<>+448(SB), Y6, Y7 // even
	VMOVUPD     expc<>+480(SB), Y8
	VFMADD213PD expc<>+512(SB), Y6, Y8
	VFMADD213PD expc<>+544(SB), Y6, Y8
	VFMADD213PD expc<>+576(SB), Y6, Y8
	VFMADD213PD expc<>+608(SB), Y6, Y8
	VFMADD213PD expc<>+640(SB), Y6, Y8 // odd

	VFMADD213PD Y7, Y5, Y8 // q = fma(odd, r, even)
	VMULPD      Y8, Y6, Y8 // t = z·q
	VSUBPD      Y4, Y8, Y8 // t − lo
	VADDPD      Y8, Y3, Y8 // hi + (…)
	VADDPD      expc<>+160(SB), Y8, Y8 // y = 1 + (…)

	// 2^k: the low bits of k + (2^52 + 1023) are k + 1023.
	VADDPD expc<>+256(SB), Y2, Y9
	VPSLLQ $52, Y9, Y9
	VMULPD Y9, Y8, Y8 // e^x

	VADDPD  expc<>+160(SB), Y8, Y8 // 1 + e^x
	VMOVUPD expc<>+160(SB), Y9
	VDIVPD  Y8, Y9, Y9             // 1/(…)
	VMOVUPD Y9, (DI)(DX*8)

	ADDQ $4, DX
	JMP  sloop

sdone:
	MOVQ DX, ret+24(FP)
	VZEROUPPER
	RET

// func reluAVX(dst, z, x *float64, n int)
//
// dst[i] = x[i] where z[i] ≤ 0 is false (NaN included), +0 where it is
// true, for i < n (n a multiple of 4): a mask and an and-not, no branch.
// ReLU is reluAVX(a, z, z); its derivative reluAVX(da, z, da).
TEXT ·reluAVX(SB), NOSPLIT, $0-32
	MOVQ   dst+0(FP), DI
	MOVQ   z+8(FP), SI
	MOVQ   x+16(FP), BX
	MOVQ   n+24(FP), CX
	XORQ   DX, DX
	VXORPD Y15, Y15, Y15

rloop:
	CMPQ    DX, CX
	JGE     rdone
	VMOVUPD (SI)(DX*8), Y0
	VCMPPD  $0x12, Y15, Y0, Y0 // z ≤ 0, ordered, quiet
	VANDNPD (BX)(DX*8), Y0, Y0 // x where not
	VMOVUPD Y0, (DI)(DX*8)
	ADDQ    $4, DX
	JMP     rloop

rdone:
	VZEROUPPER
	RET

DATA halfOne<>+0(SB)/8, $0x3fe0000000000000 // 0.5
DATA halfOne<>+8(SB)/8, $0x3ff0000000000000 // 1
GLOBL halfOne<>(SB), RODATA|NOPTR, $16

// func hitsAVX(a, y *float64, n int, count *[4]int64)
//
// count[s] += the number of i ≡ s (mod 4), i < n (n a multiple of 4),
// with (1 if a[i] > 0.5 else 0) == y[i]: two compares and a subtraction
// of the all-ones mask, no branch.
TEXT ·hitsAVX(SB), NOSPLIT, $0-32
	MOVQ         a+0(FP), SI
	MOVQ         y+8(FP), BX
	MOVQ         n+16(FP), CX
	MOVQ         count+24(FP), DI
	VBROADCASTSD halfOne<>+0(SB), Y3
	VBROADCASTSD halfOne<>+8(SB), Y4
	VMOVDQU      (DI), Y2
	XORQ         DX, DX

hloop:
	CMPQ    DX, CX
	JGE     hdone
	VMOVUPD (SI)(DX*8), Y0
	VCMPPD  $0x1e, Y3, Y0, Y0       // a > 0.5, ordered (false for NaN)
	VANDPD  Y4, Y0, Y0              // the prediction: 1 or +0
	VCMPPD  $0, (BX)(DX*8), Y0, Y1  // == y, ordered
	VPSUBQ  Y1, Y2, Y2              // −(−1) per hit
	ADDQ    $4, DX
	JMP     hloop

hdone:
	VMOVDQU Y2, (DI)
	VZEROUPPER
	RET

// func selectBinaryAVX(dst, a, y *float64, n int, unit bool) bool
//
// dst[i] = a[i] where y[i] == 1, else 1 − a[i], for i < n (n a multiple of
// 4), four lanes at a time with a blend instead of a branch; it reports
// whether every y[i] is 0 or 1 and, with unit, every a[i] is in [0, 1].
TEXT ·selectBinaryAVX(SB), NOSPLIT, $0-41
	MOVQ         dst+0(FP), DI
	MOVQ         a+8(FP), SI
	MOVQ         y+16(FP), BX
	MOVQ         n+24(FP), CX
	MOVBQZX      unit+32(FP), AX
	VBROADCASTSD halfOne<>+8(SB), Y4 // 1
	VXORPD       Y5, Y5, Y5          // 0
	VCMPPD       $0, Y5, Y5, Y6      // all ones: every lane fine so far
	VXORPD       Y7, Y7, Y7          // with unit, lanes count only in [0, 1]
	TESTQ        AX, AX
	JNZ          sstart
	VCMPPD       $0, Y5, Y5, Y7      // without, every lane counts

sstart:
	XORQ DX, DX

sloop:
	CMPQ      DX, CX
	JGE       sdone
	VMOVUPD   (SI)(DX*8), Y0
	VMOVUPD   (BX)(DX*8), Y1
	VCMPPD    $0, Y4, Y1, Y2      // y == 1
	VCMPPD    $0, Y5, Y1, Y3      // y == 0
	VORPD     Y3, Y2, Y3
	VANDPD    Y3, Y6, Y6
	VCMPPD    $0x1d, Y5, Y0, Y3   // a ≥ 0, ordered
	VCMPPD    $0x12, Y4, Y0, Y8   // a ≤ 1, ordered
	VANDPD    Y8, Y3, Y3
	VORPD     Y7, Y3, Y3
	VANDPD    Y3, Y6, Y6
	VSUBPD    Y0, Y4, Y3          // 1 − a
	VBLENDVPD Y2, Y0, Y3, Y3      // a where y == 1
	VMOVUPD   Y3, (DI)(DX*8)
	ADDQ      $4, DX
	JMP       sloop

sdone:
	VMOVMSKPD Y6, AX
	CMPQ      AX, $15
	SETEQ     ret+40(FP)
	VZEROUPPER
	RET

// func scaledDiffAVX(dst, a, y *float64, s float64, n int)
//
// dst[i] = s·(a[i] − y[i]) for i < n (n a multiple of 4), four lanes at a
// time: the subtraction, then the product, each rounded as Go rounds them.
TEXT ·scaledDiffAVX(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), DI
	MOVQ         a+8(FP), SI
	MOVQ         y+16(FP), BX
	VBROADCASTSD s+24(FP), Y1
	MOVQ         n+32(FP), CX
	XORQ         DX, DX

dloop:
	CMPQ    DX, CX
	JGE     ddone
	VMOVUPD (SI)(DX*8), Y0
	VSUBPD  (BX)(DX*8), Y0, Y0 // a − y
	VMULPD  Y0, Y1, Y0         // s·(a − y)
	VMOVUPD Y0, (DI)(DX*8)
	ADDQ    $4, DX
	JMP     dloop

ddone:
	VZEROUPPER
	RET

// func addConstAVX(x *float64, b float64, n int)
//
// x[i] += b for i < n (n a multiple of 4), four lanes at a time.
TEXT ·addConstAVX(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), DI
	VBROADCASTSD b+8(FP), Y1
	MOVQ         n+16(FP), CX
	XORQ         DX, DX

aloop:
	CMPQ    DX, CX
	JGE     adone
	VADDPD  (DI)(DX*8), Y1, Y0
	VMOVUPD Y0, (DI)(DX*8)
	ADDQ    $4, DX
	JMP     aloop

adone:
	VZEROUPPER
	RET

// func sigmoidAVX512(dst, src *float64, n int) int
//
// sigmoidAVX2 eight lanes at a time in zmm registers, for i < n (n a
// multiple of 8), stopping before the first group with a lane |src[i]| >
// 707 or NaN: the same operations in the same order (the rounding of k by
// VRNDSCALEPD's truncation, the blend by a mask register), lane for lane.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	XORQ         DX, DX
	VBROADCASTSD expc<>+0(SB), Z16   // |x| mask
	VBROADCASTSD expc<>+32(SB), Z17  // sign bit
	VBROADCASTSD expc<>+64(SB), Z18  // 707
	VBROADCASTSD expc<>+96(SB), Z19  // 1/ln 2
	VBROADCASTSD expc<>+128(SB), Z20 // 0.5
	VBROADCASTSD expc<>+160(SB), Z21 // 1
	VBROADCASTSD expc<>+192(SB), Z22 // ln2Hi32
	VBROADCASTSD expc<>+224(SB), Z23 // ln2Lo32
	VBROADCASTSD expc<>+256(SB), Z24 // 2^52 + 1023

zsloop:
	CMPQ    DX, CX
	JGE     zsdone
	VMOVUPD (SI)(DX*8), Z0
	VPXORQ  Z17, Z0, Z0 // x = −src

	// |x| ≤ 707 (false for NaN) in all eight lanes.
	VPANDQ Z16, Z0, Z1
	VCMPPD $2, Z18, Z1, K1
	KMOVW  K1, AX
	CMPQ   AX, $0xff
	JNE    zsdone

	// k = math.Round(x·(1/ln 2)).
	VMULPD      Z19, Z0, Z1 // y
	VRNDSCALEPD $3, Z1, Z2  // trunc(y)
	VSUBPD      Z2, Z1, Z3  // y − trunc(y)
	VPANDQ      Z16, Z3, Z3
	VCMPPD      $13, Z20, Z3, K2 // ≥ 0.5
	VPANDQ      Z17, Z1, Z4
	VPORQ       Z21, Z4, Z4 // copysign(1, y)
	VADDPD      Z4, Z2, Z4
	VBLENDMPD   Z4, Z2, K2, Z2 // k

	VMULPD Z22, Z2, Z3 // k·ln2Hi32
	VSUBPD Z3, Z0, Z3  // hi
	VMULPD Z23, Z2, Z4 // lo
	VSUBPD Z4, Z3, Z5  // r
	VMULPD Z5, Z5, Z6  // z

	VBROADCASTSD     expc<>+288(SB), Z7
	VFMADD213PD.BCST expc<>+320(SB), Z6, Z7
	VFMADD213PD.BCST expc<>+352(SB), Z6, Z7
	VFMADD213PD.BCST expc<>+384(SB), Z6, Z7
	VFMADD213PD.BCST expc<>+416(SB), Z6, Z7
	VFMADD213PD.BCST expc<>+448(SB), Z6, Z7 // even
	VBROADCASTSD     expc<>+480(SB), Z8
	VFMADD213PD.BCST expc<>+512(SB), Z6, Z8
	VFMADD213PD.BCST expc<>+544(SB), Z6, Z8
	VFMADD213PD.BCST expc<>+576(SB), Z6, Z8
	VFMADD213PD.BCST expc<>+608(SB), Z6, Z8
	VFMADD213PD.BCST expc<>+640(SB), Z6, Z8 // odd

	VFMADD213PD Z7, Z5, Z8 // q
	VMULPD      Z8, Z6, Z8 // t = z·q
	VSUBPD      Z4, Z8, Z8 // t − lo
	VADDPD      Z8, Z3, Z8 // hi + (…)
	VADDPD      Z21, Z8, Z8 // y = 1 + (…)

	VADDPD Z24, Z2, Z9
	VPSLLQ $52, Z9, Z9
	VMULPD Z9, Z8, Z8 // e^x

	VADDPD  Z21, Z8, Z8 // 1 + e^x
	VDIVPD  Z8, Z21, Z9 // 1/(…)
	VMOVUPD Z9, (DI)(DX*8)

	ADDQ $8, DX
	JMP  zsloop

zsdone:
	MOVQ DX, ret+24(FP)
	VZEROUPPER
	RET

// func logAVX512(dst, src *float64, n int) int
//
// logAVX2 eight lanes at a time in zmm registers, for i < n (n a multiple
// of 8), stopping before the first group with a lane that is not
// positive, normal and finite: the same operations in the same order
// (comparisons into mask registers, the blend and the 1-or-0 by them),
// lane for lane.
TEXT ·logAVX512(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	XORQ         DX, DX
	VBROADCASTSD logc<>+0(SB), Z25   // mantissa mask
	VBROADCASTSD logc<>+64(SB), Z26  // +Inf
	VBROADCASTSD logc<>+32(SB), Z27  // exponent of [0.5, 1)
	VBROADCASTSD logc<>+192(SB), Z28 // 2^52 (bits)
	VBROADCASTSD logc<>+224(SB), Z29 // 2^52 + 1022
	VBROADCASTSD logc<>+128(SB), Z30 // 1
	VBROADCASTSD logc<>+96(SB), Z31  // √2/2
	VBROADCASTSD logc<>+160(SB), Z24 // 2
	VBROADCASTSD logc<>+256(SB), Z23 // 0.5
	VBROADCASTSD logc<>+288(SB), Z22 // ln2Hi32
	VBROADCASTSD logc<>+320(SB), Z21 // ln2Lo32

zlloop:
	CMPQ    DX, CX
	JGE     zldone
	VMOVUPD (SI)(DX*8), Z0

	// Positive normal finite lanes: 0x000f…f < bits < 0x7ff0…0 as int64.
	VPCMPGTQ Z25, Z0, K1
	VPCMPGTQ Z0, Z26, K2
	KANDW    K2, K1, K1
	KMOVW    K1, AX
	CMPQ     AX, $0xff
	JNE      zldone

	// math.Frexp.
	VPANDQ Z25, Z0, Z3
	VPORQ  Z27, Z3, Z3
	VPSRLQ $52, Z0, Z4
	VPORQ  Z28, Z4, Z4
	VSUBPD Z29, Z4, Z4

	// m < √2/2: m *= 2, e−−.
	VCMPPD    $1, Z31, Z3, K3
	VADDPD    Z3, Z3, Z6
	VBLENDMPD Z6, Z3, K3, Z3
	VMOVAPD.Z Z30, K3, Z6
	VSUBPD    Z6, Z4, Z4 // k = float64(e)

	VSUBPD Z30, Z3, Z3 // f = m − 1
	VADDPD Z24, Z3, Z6 // 2 + f
	VDIVPD Z6, Z3, Z6  // s = f/(2+f)
	VMULPD Z6, Z6, Z7  // z = s·s
	VMULPD Z7, Z7, Z8  // w = z·z

	VBROADCASTSD     logc<>+352(SB), Z9
	VFMADD213PD.BCST logc<>+384(SB), Z8, Z9
	VFMADD213PD.BCST logc<>+416(SB), Z8, Z9
	VFMADD213PD.BCST logc<>+448(SB), Z8, Z9
	VFMADD213PD.BCST logc<>+480(SB), Z8, Z9
	VFMADD213PD.BCST logc<>+512(SB), Z8, Z9
	VBROADCASTSD     logc<>+544(SB), Z10
	VFMADD213PD.BCST logc<>+576(SB), Z8, Z10
	VFMADD213PD.BCST logc<>+608(SB), Z8, Z10
	VFMADD213PD.BCST logc<>+640(SB), Z8, Z10
	VFMADD213PD.BCST logc<>+672(SB), Z8, Z10

	VFMADD213PD Z9, Z7, Z10 // fma(odd, z, even)
	VMULPD      Z10, Z7, Z10 // r = z·(…)

	VMULPD Z3, Z3, Z11   // f·f
	VMULPD Z23, Z11, Z11 // hfsq = 0.5·(f·f)

	VADDPD  Z10, Z11, Z12 // hfsq + r
	VMULPD  Z12, Z6, Z12  // s·(hfsq + r)
	VMULPD  Z21, Z4, Z13  // k·ln2Lo32
	VADDPD  Z13, Z12, Z12
	VSUBPD  Z12, Z11, Z12 // hfsq − (…)
	VSUBPD  Z12, Z3, Z12  // f − (…)
	VMULPD  Z22, Z4, Z13  // k·ln2Hi32
	VADDPD  Z12, Z13, Z12
	VMOVUPD Z12, (DI)(DX*8)

	ADDQ $8, DX
	JMP  zlloop

zldone:
	MOVQ DX, ret+24(FP)
	VZEROUPPER
	RET
