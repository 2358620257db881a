#include "textflag.h"

// func maskBlocks(dst []uint64, text []byte, sep byte) (quotes, high bool)
TEXT ·maskBlocks(SB), NOSPLIT, $0-58
	MOVQ    dst_base+0(FP), DI
	MOVQ    dst_len+8(FP), CX
	MOVQ    text_base+24(FP), SI
	MOVBQZX sep+48(FP), AX
	IMULQ   $0x01010101, AX
	MOVQ    AX, X0
	PSHUFD  $0, X0, X0           // sep in every byte
	MOVQ    $0x0a0a0a0a, AX
	MOVQ    AX, X1
	PSHUFD  $0, X1, X1           // '\n' in every byte
	MOVQ    $0x22222222, AX
	MOVQ    AX, X2
	PSHUFD  $0, X2, X2           // '"' in every byte
	PXOR    X6, X6               // the quotes seen
	PXOR    X7, X7               // the bytes seen, or'ed: bit 7 if any is not ASCII
	TESTQ   CX, CX
	JZ      done

// MASK16 sets the low 16 bits of out to the mask of the separators (X0),
// line ends (X1) and quotes (X2) among the 16 bytes at off(SI), adds the
// quotes to X6 and the bytes to X7.
#define MASK16(off, out) \
	MOVOU    off(SI), X3 \
	POR      X3, X7      \
	MOVO     X3, X4      \
	MOVO     X3, X5      \
	PCMPEQB  X0, X3      \
	PCMPEQB  X1, X4      \
	PCMPEQB  X2, X5      \
	POR      X5, X6      \
	POR      X4, X3      \
	POR      X5, X3      \
	PMOVMSKB X3, out

loop:
	MASK16(0, R8)
	MASK16(16, R9)
	MASK16(32, R10)
	MASK16(48, R11)
	SHLQ $16, R9
	SHLQ $32, R10
	SHLQ $48, R11
	ORQ  R9, R8
	ORQ  R10, R8
	ORQ  R11, R8
	MOVQ R8, 0(DI)
	ADDQ $64, SI
	ADDQ $8, DI
	DECQ CX
	JNZ  loop

done:
	PMOVMSKB X6, AX
	TESTL    AX, AX
	SETNE    quotes+56(FP)
	PMOVMSKB X7, AX
	TESTL    AX, AX
	SETNE    high+57(FP)
	RET
