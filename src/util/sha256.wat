;; SHA-256 (FIPS 180-4) block compression in WebAssembly, for the first small inputs of a process: hashing them here
;; spares a short scan loading node:crypto, which costs about 5 ms of a 60 ms process. The caller pads the message.
;; `scripts/make-wasm.mjs` assembles it into src/util/sha256-wasm.ts; edit this file, then run that script.
;;
;; Memory: 0..255 the round constants K (set by the caller), 256..511 the message schedule W, 512..543 the state H,
;; from 1024 the blocks to hash.
(module
  (memory (export "memory") 1)

  ;; Sets H to the initial hash value.
  (func (export "init")
    (i32.store offset=512 (i32.const 0) (i32.const 0x6a09e667))
    (i32.store offset=516 (i32.const 0) (i32.const 0xbb67ae85))
    (i32.store offset=520 (i32.const 0) (i32.const 0x3c6ef372))
    (i32.store offset=524 (i32.const 0) (i32.const 0xa54ff53a))
    (i32.store offset=528 (i32.const 0) (i32.const 0x510e527f))
    (i32.store offset=532 (i32.const 0) (i32.const 0x9b05688c))
    (i32.store offset=536 (i32.const 0) (i32.const 0x1f83d9ab))
    (i32.store offset=540 (i32.const 0) (i32.const 0x5be0cd19)))

  ;; Hashes `blocks` 64-byte blocks from `at` into H.
  (func (export "blocks") (param $at i32) (param $blocks i32)
    (local $t i32) (local $x i32) (local $y i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $t1 i32) (local $t2 i32)
    (block $done
      (loop $block
        (br_if $done (i32.eqz (local.get $blocks)))
        ;; W[0..15]: the block's big-endian words.
        (local.set $t (i32.const 0))
        (loop $load
          (local.set $x (i32.load (i32.add (local.get $at) (i32.shl (local.get $t) (i32.const 2)))))
          (i32.store offset=256 (i32.shl (local.get $t) (i32.const 2))
            (i32.or
              (i32.or (i32.shl (local.get $x) (i32.const 24)) (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
              (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00)) (i32.shr_u (local.get $x) (i32.const 24)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $load (i32.lt_u (local.get $t) (i32.const 16))))
        ;; W[16..63].
        (loop $schedule
          (local.set $x (i32.load offset=196 (i32.shl (local.get $t) (i32.const 2)))) ;; W[t-15]
          (local.set $y (i32.load offset=248 (i32.shl (local.get $t) (i32.const 2)))) ;; W[t-2]
          (i32.store offset=256 (i32.shl (local.get $t) (i32.const 2))
            (i32.add
              (i32.add
                (i32.load offset=192 (i32.shl (local.get $t) (i32.const 2))) ;; W[t-16]
                (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 7)) (i32.rotr (local.get $x) (i32.const 18)))
                  (i32.shr_u (local.get $x) (i32.const 3))))
              (i32.add
                (i32.load offset=228 (i32.shl (local.get $t) (i32.const 2))) ;; W[t-7]
                (i32.xor (i32.xor (i32.rotr (local.get $y) (i32.const 17)) (i32.rotr (local.get $y) (i32.const 19)))
                  (i32.shr_u (local.get $y) (i32.const 10))))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $schedule (i32.lt_u (local.get $t) (i32.const 64))))
        (local.set $a (i32.load offset=512 (i32.const 0)))
        (local.set $b (i32.load offset=516 (i32.const 0)))
        (local.set $c (i32.load offset=520 (i32.const 0)))
        (local.set $d (i32.load offset=524 (i32.const 0)))
        (local.set $e (i32.load offset=528 (i32.const 0)))
        (local.set $f (i32.load offset=532 (i32.const 0)))
        (local.set $g (i32.load offset=536 (i32.const 0)))
        (local.set $h (i32.load offset=540 (i32.const 0)))
        (local.set $t (i32.const 0))
        (loop $round
          (local.set $t1
            (i32.add
              (i32.add (local.get $h)
                (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11)))
                  (i32.rotr (local.get $e) (i32.const 25))))
              (i32.add
                (i32.xor (i32.and (local.get $e) (local.get $f)) (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g)))
                (i32.add (i32.load (i32.shl (local.get $t) (i32.const 2))) (i32.load offset=256 (i32.shl (local.get $t) (i32.const 2)))))))
          (local.set $t2
            (i32.add
              (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))
                (i32.rotr (local.get $a) (i32.const 22)))
              (i32.xor (i32.xor (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $a) (local.get $c)))
                (i32.and (local.get $b) (local.get $c)))))
          (local.set $h (local.get $g))
          (local.set $g (local.get $f))
          (local.set $f (local.get $e))
          (local.set $e (i32.add (local.get $d) (local.get $t1)))
          (local.set $d (local.get $c))
          (local.set $c (local.get $b))
          (local.set $b (local.get $a))
          (local.set $a (i32.add (local.get $t1) (local.get $t2)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $round (i32.lt_u (local.get $t) (i32.const 64))))
        (i32.store offset=512 (i32.const 0) (i32.add (i32.load offset=512 (i32.const 0)) (local.get $a)))
        (i32.store offset=516 (i32.const 0) (i32.add (i32.load offset=516 (i32.const 0)) (local.get $b)))
        (i32.store offset=520 (i32.const 0) (i32.add (i32.load offset=520 (i32.const 0)) (local.get $c)))
        (i32.store offset=524 (i32.const 0) (i32.add (i32.load offset=524 (i32.const 0)) (local.get $d)))
        (i32.store offset=528 (i32.const 0) (i32.add (i32.load offset=528 (i32.const 0)) (local.get $e)))
        (i32.store offset=532 (i32.const 0) (i32.add (i32.load offset=532 (i32.const 0)) (local.get $f)))
        (i32.store offset=536 (i32.const 0) (i32.add (i32.load offset=536 (i32.const 0)) (local.get $g)))
        (i32.store offset=540 (i32.const 0) (i32.add (i32.load offset=540 (i32.const 0)) (local.get $h)))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))
        (br $block)))))
