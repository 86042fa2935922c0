// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// Verifier rules of stream.kernel and stream.yield; one diagnostic per chunk.
// (Line numbers of verifier errors are chunk-relative in split mode, hence {{[0-9]+}}.)

// CHECK: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: unit must be one of cube, vector, none
// CHECK-NEXT: stream.kernel
stream.kernel @k attributes {unit = "gpu"} {
  stream.yield
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: unit must be one of cube, vector, none
stream.kernel @k attributes {unit = ""} {
  stream.yield
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: flop counts must be >= 0
// CHECK-NEXT: stream.kernel
stream.kernel @k attributes {unit = "cube", cube_flops = -48 : i64} {
  stream.yield
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: flop counts must be >= 0
// CHECK-NEXT: stream.kernel
stream.kernel @k attributes {vector_flops = -1 : i64} {
  stream.yield
}

// -----

// The body must end with stream.yield.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: kernel body must end with stream.yield
// CHECK-NEXT: stream.kernel
stream.kernel @k {
^bb0(%a: tensor<2xf32>):
  %0 = graph.neg %a : tensor<2xf32>
}

// -----

// An empty body has no terminator either.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: kernel body must end with stream.yield
stream.kernel @k {
^bb0(%a: tensor<2xf32>):
}

// -----

// The body must be a single block.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: Region 'body' at position 0 expected a single block, but got 2 blocks
stream.kernel @k {
^bb0(%a: tensor<2xf32>):
  stream.yield %a : tensor<2xf32>
^bb1:
  stream.yield
}

// -----

// The symbol name is required.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:15: error: expect symbol name
stream.kernel {
  stream.yield
}

// -----

// stream.yield outside a kernel: in a function ...

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:3: error: stream.yield must terminate a stream.kernel body
// CHECK-NEXT: stream.yield %a : tensor<2xf32>
func.func @f(%a: tensor<2xf32>) {
  stream.yield %a : tensor<2xf32>
}

// -----

// ... or at module level.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.yield must terminate a stream.kernel body
// CHECK-NEXT: stream.yield
stream.yield

// -----

// stream.yield must be the last op of the kernel body (it is a terminator).

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:1: error: stream.kernel: kernel body must end with stream.yield
stream.kernel @k {
^bb0(%a: tensor<2xf32>):
  stream.yield %a : tensor<2xf32>
  %0 = graph.neg %a : tensor<2xf32>
}

// -----

// The kernel is isolated from above: its body cannot use values of the enclosing function.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_kernel.mlir:{{[0-9]+}}:7: error: stream.kernel: Operation using value defined out of its IsolatedFromAbove parent: NegOp(%0 = graph.neg %a : tensor<2xf32>)
// CHECK-NEXT: stream.kernel
builtin.module {
  func.func @f(%a: tensor<2xf32>) {
    builtin.module {
      stream.kernel @k {
        %0 = graph.neg %a : tensor<2xf32>
        stream.yield %0 : tensor<2xf32>
      }
    }
    func.return
  }
}
